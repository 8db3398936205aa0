package analyze

import "strings"

// credentialAccess: stores of passwords, tokens, keys and wallets.
type credentialAccess struct{}

func (credentialAccess) Info() RuleInfo {
	return RuleInfo{ID: "credential-access", Severity: High,
		Description: "Code reaches for stored secrets: browser passwords and cookies, Discord tokens, crypto wallets, game-launcher and game-platform sessions, SSH and cloud keys, package-registry tokens. With network access in the same file, it is theft."}
}

func (x credentialAccess) Check(f *file, r *reporter) {
	hasNet := false
	for _, c := range f.calls {
		hasNet = hasNet || c.net
	}
	seen := map[string]bool{}
	for _, s := range f.strs {
		for _, h := range s.hits {
			strong := false
			switch h.class {
			case indBrowser, indDiscord, indWallet, indGameToken:
				strong = true
			case indCredFile, indSecretEnv:
			default:
				continue
			}
			if seen[h.class] {
				continue
			}
			seen[h.class] = true
			// Stores only stealers open (browser, Discord, wallets) next to
			// network access are theft; files libraries legitimately read
			// (.netrc, .pypirc, registry tokens) only in install, startup
			// or import code that also talks to the network.
			sev := Low
			switch {
			case strong && (hasNet || f.artifactNet && s.ctx.Executes()):
				sev = Critical
			case strong:
				sev = High
			case hasNet && s.ctx.Executes():
				sev = High
			case s.ctx.Executes():
				sev = Medium
			}
			r.report(x.Info(), f, sev, false, s.line, 0, s.ctx, "reaches for "+strings.ReplaceAll(h.class, "-", " ")+": "+h.match, h.match)
		}
	}
}

// looksLikeTokenRegex recognises the regular expressions stealers use to
// find Discord tokens in files.
func looksLikeTokenRegex(s string) bool {
	return strings.Contains(s, `{24}\.`) || strings.Contains(s, `{23,25}`) || strings.Contains(s, `{84}`) || strings.Contains(s, `{27}`)
}

// persistence: making code run again later.
type persistence struct{}

func (persistence) Info() RuleInfo {
	return RuleInfo{ID: "persistence", Severity: High,
		Description: "Code installs itself to run again: shell profiles, crontab, systemd units, Windows Run keys, the Startup folder, scheduled tasks, LaunchAgents."}
}

func (x persistence) Check(f *file, r *reporter) {
	acts := false
	for _, c := range f.calls {
		acts = acts || c.proc || strings.HasPrefix(c.Name, "builtins.open") || strings.HasPrefix(c.Name, "winreg.") ||
			strings.HasPrefix(c.Name, "_winreg.") || strings.HasPrefix(c.Name, "shutil.copy") ||
			strings.HasPrefix(c.Name, "win32com.client.Dispatch") // WScript.Shell: shortcuts, the registry
	}
	for _, s := range f.strs {
		for _, h := range s.hits {
			if h.class != indPersistence {
				continue
			}
			if h.match == "crontab" && !strings.Contains(s.s, "crontab -") && !strings.Contains(s.s, "/crontab") {
				continue
			}
			sev := Medium
			if acts && s.ctx.Executes() {
				sev = Critical
			} else if acts {
				sev = High
			}
			r.report(x.Info(), f, sev, false, s.line, 0, s.ctx, "touches a persistence location: "+h.match, h.match)
			return
		}
	}
}

// cryptoMiner: mining software and pools.
type cryptoMiner struct{}

func (cryptoMiner) Info() RuleInfo {
	return RuleInfo{ID: "crypto-miner", Severity: Critical, AnyContext: true,
		Description: "Cryptocurrency mining: miner binaries (xmrig...), stratum pool URLs, miner command-line options."}
}

func (x cryptoMiner) Check(f *file, r *reporter) {
	for _, s := range f.strs {
		for _, h := range s.hits {
			if h.class == indMiner {
				r.report(x.Info(), f, Critical, false, s.line, 0, s.ctx, "mining: "+h.match, h.match)
				return
			}
		}
	}
}

// defenceEvasion: switching off or hiding from security tools.
type defenceEvasion struct{}

func (defenceEvasion) Info() RuleInfo {
	return RuleInfo{ID: "defence-evasion", Severity: High,
		Description: "Code disables or dodges defences: Defender exclusions and switches, firewall changes, killing security tools, virtual-machine and sandbox checks."}
}

func (x defenceEvasion) Check(f *file, r *reporter) {
	for _, s := range f.strs {
		for _, h := range s.hits {
			if h.class == indEvasion {
				r.report(x.Info(), f, High, false, s.line, 0, s.ctx, "defence evasion: "+h.match, h.match)
				return
			}
		}
	}
}

// spyware: keyloggers, screenshots, clipboard, webcam.
type spyware struct{}

func (spyware) Info() RuleInfo {
	return RuleInfo{ID: "spyware", Severity: High,
		Description: "Code records the user: keystrokes, screenshots, the clipboard or the webcam, at install or import time or next to network access."}
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
