package analyze

// spyware: keyloggers, screenshots, clipboard, webcam.
type spyware struct{}

var _ Rule = (*spyware)(nil)

func (spyware) Info() RuleInfo {
	return RuleInfo{ID: "spyware", Severity: High,
		Description: "Code records the user: keystrokes, screenshots, the clipboard or the webcam, at install or import time or next to network access. Critical when install, import or start-up code logs keystrokes, records the screen or webcam in a file that uses the network, or reads the clipboard in a file that also replaces its content (a clipper swapping wallet addresses).",
		// Words of spyAPIs: ctypes only for GetAsyncKeyState.
		Triggers: []string{"pynput", "ImageGrab", "pyautogui", "keyboard", "clipboard", "GetAsyncKeyState", "pyperclip", "HookManager", "VideoCapture", "mss.mss", "import mss", "SetClipboardData"}}
}

var spyAPIs = []string{"pynput.keyboard.Listener", "pynput.keyboard.Listener()", "keyboard.on_press", "keyboard.hook", "keyboard.record",
	"PIL.ImageGrab.grab", "ImageGrab.grab", "pyautogui.screenshot", "mss.mss", "cv2.VideoCapture", "win32clipboard.GetClipboardData",
	"pyperclip.paste", "ctypes.windll.user32.GetAsyncKeyState", "pyHook.HookManager", "pyxhook.HookManager"}

// keyloggerAPIs and clipboardReads are the spyAPIs that log keystrokes
// and that read the clipboard; clipboardWrites replace its content.
var (
	keyloggerAPIs = []string{"pynput.keyboard.Listener", "pynput.keyboard.Listener()", "keyboard.on_press", "keyboard.hook", "keyboard.record",
		"ctypes.windll.user32.GetAsyncKeyState", "pyHook.HookManager", "pyxhook.HookManager"}
	clipboardReads  = []string{"pyperclip.paste", "win32clipboard.GetClipboardData"}
	clipboardWrites = []string{"pyperclip.copy", "win32clipboard.SetClipboardData"}
)

func (x spyware) Check(f *file, r *reporter) {
	hasNet, swapsClipboard := false, false
	for _, c := range f.calls {
		hasNet = hasNet || c.net
		swapsClipboard = swapsClipboard || matchAPI(c.Name, clipboardWrites)
	}
	for _, c := range f.calls {
		if !matchAPI(c.Name, spyAPIs) || !(c.ctx.Executes() || hasNet) {
			continue
		}
		// Started by install, import or start-up, nobody asked for it:
		// keystrokes logged, the screen sent away, or what the user
		// copies swapped for the thief's (a clipper's wallet address).
		sev, how := High, ""
		switch {
		case !c.ctx.Executes():
		case matchAPI(c.Name, keyloggerAPIs):
			sev, how = Critical, " at "+string(c.ctx)+" time"
		case matchAPI(c.Name, clipboardReads) && swapsClipboard:
			sev, how = Critical, " at "+string(c.ctx)+" time and replaces what the user copied"
		case !matchAPI(c.Name, clipboardReads) && hasNet:
			sev, how = Critical, " at "+string(c.ctx)+" time in a file that uses the network"
		}
		r.report(x.Info(), f, sev, false, c.Line, c.Col, c.ctx, "records the user with "+c.Name+how)
		return
	}
}
