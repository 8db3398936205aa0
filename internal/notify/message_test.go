package notify

import (
	"errors"
	"testing"
	"time"
)

// validMessage is a message Check accepts.
func validMessage() Message {
	return Message{ID: "alert_01JEXAMPLE-1", Type: TypeMalicious, Time: time.Date(2026, 12, 2, 13, 0, 0, 0, time.UTC), Project: "web-shop", Package: "evil"}
}

func TestMessageCheck(t *testing.T) {
	ok := validMessage()
	if err := ok.Check(); err != nil {
		t.Fatalf("Check = %v", err)
	}
	for name, edit := range map[string]func(*Message){
		"no id":       func(m *Message) { m.ID = "" },
		"dot in id":   func(m *Message) { m.ID = "a.b" },
		"CRLF in id":  func(m *Message) { m.ID = "a\r\nX-Evil: 1" },
		"bad type":    func(m *Message) { m.Type = "alert..x" },
		"space type":  func(m *Message) { m.Type = "alert x" },
		"no time":     func(m *Message) { m.Time = time.Time{} },
		"long id":     func(m *Message) { m.ID = string(make([]byte, 129)) },
		"unicode id":  func(m *Message) { m.ID = "alért" },
		"empty type":  func(m *Message) { m.Type = "" },
		"type at end": func(m *Message) { m.Type = "alert." },
	} {
		m := validMessage()
		edit(&m)
		if err := m.Check(); !errors.Is(err, ErrMessage) {
			t.Errorf("%s: Check = %v, want ErrMessage", name, err)
		}
	}
}

func TestTitle(t *testing.T) {
	tests := map[string]string{
		TypeMalicious:      "Safeguard: malicious release of evil 2.0 (web-shop)",
		TypeKnownMalicious: "Safeguard: known-malicious evil 2.0 (web-shop)",
		TypeYanked:         "Safeguard: evil 2.0 was yanked (web-shop)",
		TypeQuarantined:    "Safeguard: evil 2.0 was quarantined (web-shop)",
		TypeTyposquat:      "Safeguard: typosquat evil 2.0 (web-shop)",
		TypeTest:           "Safeguard test alert for web-shop",
		"alert.other":      "Safeguard: alert.other evil 2.0 (web-shop)",
	}
	for typ, want := range tests {
		m := Message{Type: typ, Project: "web-shop", Package: "evil", Version: "2.0"}
		if got := m.Title(); got != want {
			t.Errorf("Title(%s) = %q, want %q", typ, got, want)
		}
	}
}
