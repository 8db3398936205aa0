package pypi

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseAction(t *testing.T) {
	tests := []struct {
		action       string
		kind         Kind
		py, filename string
	}{
		{"create", KindCreate, "", ""},
		{"new release", KindNewRelease, "", ""},
		{"add source file demo-1.0.tar.gz", KindAddFile, "source", "demo-1.0.tar.gz"},
		{"add py3 file demo-1.0-py3-none-any.whl", KindAddFile, "py3", "demo-1.0-py3-none-any.whl"},
		{"add cp312 file demo-1.0-cp312-cp312-win_amd64.whl", KindAddFile, "cp312", "demo-1.0-cp312-cp312-win_amd64.whl"},
		{"add py2.py3 file d-1-py2.py3-none-any.whl", KindAddFile, "py2.py3", "d-1-py2.py3-none-any.whl"},
		{"add 2.7 file d-1-py2.7.egg", KindAddFile, "2.7", "d-1-py2.7.egg"},
		{"remove file demo-1.0.tar.gz", KindRemoveFile, "", "demo-1.0.tar.gz"},
		{"remove release", KindRemoveRelease, "", ""},
		{"remove project", KindRemoveProject, "", ""},
		{"yank release", KindYank, "", ""},
		{"unyank release", KindUnyank, "", ""},
		{"project quarantined", KindQuarantine, "", ""},
		{"project quarantine cleared", KindQuarantineCleared, "", ""},
		{"add Owner alice", KindRole, "", ""},
		{"add Owner file", KindRole, "", ""}, // a user called "file"
		{"remove Maintainer bob", KindRole, "", ""},
		{"invite Maintainer bob", KindRole, "", ""},
		{"accepted Owner bob", KindRole, "", ""},
		{"revoke_invite Owner bob", KindRole, "", ""},
		{"change Owner bob to Maintainer", KindRole, "", ""},
		// Older and unknown actions are kept, never refused.
		{"docupdate", KindOther, "", ""},
		{"update classifiers", KindOther, "", ""},
		{"rename from Old", KindOther, "", ""},
		{"add url https://example.com", KindOther, "", ""},
		{"add Writer carol", KindOther, "", ""},
		{"add source file ", KindOther, "", ""},
		{"add two words file x.tar.gz", KindOther, "", ""},
		{"remove file ", KindOther, "", ""},
		{"", KindOther, "", ""},
		{"Create", KindOther, "", ""},
	}
	for _, tt := range tests {
		kind, py, fn := ParseAction(tt.action)
		if kind != tt.kind || py != tt.py || fn != tt.filename {
			t.Errorf("ParseAction(%q) = %v %q %q, want %v %q %q", tt.action, kind, py, fn, tt.kind, tt.py, tt.filename)
		}
	}
}

// TestEventsOf checks rows of the wrong shape: one with a serial is kept
// as KindMalformed so the journal goes on; without a usable serial, or out
// of order, the whole answer is refused.
func TestEventsOf(t *testing.T) {
	good := []any{"demo", "1.0", int64(1700000000), "new release", int64(10)}
	noVersion := []any{"demo", nil, int64(1700000000), "create", int64(11)}
	badFields := []any{int64(1), "1.0", "yesterday", "x", int64(12)}
	got, err := eventsOf(decoded(t, []any{good, noVersion, badFields}), 9)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1700000000, 0).UTC()
	want := []Event{
		{Serial: 10, Time: at, Name: "demo", Version: "1.0", Kind: KindNewRelease, Action: "new release"},
		{Serial: 11, Time: at, Name: "demo", Kind: KindCreate, Action: "create"},
		{Serial: 12, Kind: KindMalformed, Action: "fields are an int, a string, a string, a string; want a name, a version or nil, an int timestamp, an action"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}

	refused := []struct {
		name  string
		v     any
		since int64
		text  string
	}{
		{"not an array", "oops", 0, "answer is a string, want an array of rows"},
		{"short row", []any{[]any{"demo", "1.0"}}, 0, "row 0: row is an array of 2"},
		{"row not an array", []any{int64(3)}, 0, "row 0: row is an int"},
		{"no serial", []any{[]any{"demo", "1.0", int64(1), "x", "12"}}, 0, "row 0: serial is a string"},
		{"negative serial", []any{[]any{"demo", "1.0", int64(1), "x", int64(-1)}}, 0, "row 0: serial is -1, want a positive int"},
		{"not after since", []any{good}, 10, "row 0: serial 10 is not after 10"},
		{"out of order", []any{noVersion, good}, 0, "row 1: serial 10 is not after 11"},
	}
	for _, tt := range refused {
		_, err := eventsOf(decoded(t, tt.v), tt.since)
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), tt.text) {
			t.Errorf("%s: %v, want ErrMalformed saying %q", tt.name, err, tt.text)
		}
	}
}
