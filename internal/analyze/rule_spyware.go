package analyze

// spyware: keyloggers, screenshots, clipboard, webcam.
type spyware struct{}

var _ Rule = (*spyware)(nil)

func (spyware) Info() RuleInfo {
	return RuleInfo{ID: "spyware", Severity: High,
		Description: "Code records the user: keystrokes, screenshots, the clipboard or the webcam, at install or import time or next to network access.",
		// Words of spyAPIs: ctypes only for GetAsyncKeyState.
		Triggers: []string{"pynput", "ImageGrab", "pyautogui", "keyboard", "clipboard", "GetAsyncKeyState", "pyperclip", "HookManager", "VideoCapture", "mss.mss", "import mss"}}
}

var spyAPIs = []string{"pynput.keyboard.Listener", "pynput.keyboard.Listener()", "keyboard.on_press", "keyboard.hook", "keyboard.record",
	"PIL.ImageGrab.grab", "ImageGrab.grab", "pyautogui.screenshot", "mss.mss", "cv2.VideoCapture", "win32clipboard.GetClipboardData",
	"pyperclip.paste", "ctypes.windll.user32.GetAsyncKeyState", "pyHook.HookManager", "pyxhook.HookManager"}

func (x spyware) Check(f *file, r *reporter) {
	hasNet := false
	for _, c := range f.calls {
		hasNet = hasNet || c.net
	}
	for _, c := range f.calls {
		if !matchAPI(c.Name, spyAPIs) || !(c.ctx.Executes() || hasNet) {
			continue
		}
		r.report(x.Info(), f, High, false, c.Line, c.Col, c.ctx, "records the user with "+c.Name)
		return
	}
}
