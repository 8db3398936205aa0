package pypi

import (
	"strings"
	"time"
)

// Kind is what a journal row records.
type Kind int

// Kinds of journal rows. A row whose action is not one of these is
// KindOther with its action kept in Event.Action; a row of the wrong shape
// is KindMalformed.
const (
	KindOther             Kind = iota
	KindCreate                 // "create": a new project
	KindNewRelease             // "new release"
	KindAddFile                // "add <pyversion> file <filename>"
	KindRemoveFile             // "remove file <filename>"
	KindRemoveRelease          // "remove release"
	KindRemoveProject          // "remove project"
	KindYank                   // "yank release"
	KindUnyank                 // "unyank release"
	KindRole                   // "add Owner <user>", "change Owner <user> to Maintainer"...
	KindQuarantine             // "project quarantined"
	KindQuarantineCleared      // "project quarantine cleared"
	KindMalformed              // a row that is not [name, version, time, action, serial]
)

var kindNames = [...]string{
	KindOther:             "other",
	KindCreate:            "create",
	KindNewRelease:        "new-release",
	KindAddFile:           "add-file",
	KindRemoveFile:        "remove-file",
	KindRemoveRelease:     "remove-release",
	KindRemoveProject:     "remove-project",
	KindYank:              "yank",
	KindUnyank:            "unyank",
	KindRole:              "role",
	KindQuarantine:        "quarantine",
	KindQuarantineCleared: "quarantine-cleared",
	KindMalformed:         "malformed",
}

func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "other"
	}
	return kindNames[k]
}

// Event is one row of PyPI's journal.
type Event struct {
	Serial  int64
	Time    time.Time // UTC, to the second
	Name    string    // the project as PyPI spells it
	Version string    // empty for rows about the project
	Kind    Kind
	// Action is the row's action as PyPI wrote it; for a malformed row, what
	// was wrong with it.
	Action string
	// Filename and PyVersion are set for KindAddFile (PyVersion is "source"
	// for an sdist, the wheel's python tag such as "py3" or "cp312"
	// otherwise) and Filename for KindRemoveFile.
	Filename  string
	PyVersion string
}

// roleVerbs start the actions that change who may publish a project.
var roleVerbs = map[string]bool{
	"add": true, "remove": true, "change": true, "invite": true,
	"accepted": true, "revoke_invite": true, "decline_invite": true,
}

// ParseAction reads a journal action. Unknown actions are KindOther, never
// an error: PyPI has written many kinds over the years.
func ParseAction(action string) (kind Kind, pyVersion, filename string) {
	switch action {
	case "create":
		return KindCreate, "", ""
	case "new release":
		return KindNewRelease, "", ""
	case "remove release":
		return KindRemoveRelease, "", ""
	case "remove project":
		return KindRemoveProject, "", ""
	case "yank release":
		return KindYank, "", ""
	case "unyank release":
		return KindUnyank, "", ""
	case "project quarantined":
		return KindQuarantine, "", ""
	case "project quarantine cleared":
		return KindQuarantineCleared, "", ""
	}
	if rest, ok := strings.CutPrefix(action, "add "); ok {
		if py, fn, ok := strings.Cut(rest, " file "); ok && py != "" && !strings.Contains(py, " ") && fn != "" {
			return KindAddFile, py, fn
		}
	}
	if fn, ok := strings.CutPrefix(action, "remove file "); ok && fn != "" {
		return KindRemoveFile, "", fn
	}
	verb, rest, _ := strings.Cut(action, " ")
	role, user, _ := strings.Cut(rest, " ")
	if roleVerbs[verb] && (role == "Owner" || role == "Maintainer") && user != "" {
		return KindRole, "", ""
	}
	return KindOther, "", ""
}
