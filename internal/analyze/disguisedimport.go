package analyze

import (
	"path"
	"strings"
)

// Code imported from a zip archive under another name: zipimport of a
// ".pem", or a ".png" put on sys.path. Python imports from any file that
// is a zip, whatever its name; a name that says otherwise hides the code
// from anyone looking for it.

// disguisedImport finds a call importing code from a file named as
// something other than an archive, and that name's extension.
func disguisedImport(f *file) (*callFact, string) {
	for i := range f.calls {
		c := &f.calls[i]
		var arg int32 = -1
		switch c.Name {
		case "zipimport.zipimporter", "sys.path.append":
			if len(c.Args) > 0 {
				arg = c.Args[0]
			}
		case "sys.path.insert":
			if len(c.Args) > 1 {
				arg = c.Args[1]
			}
		}
		if arg < 0 {
			continue
		}
		p := strings.Trim(valueText(f.mod.Eval(arg)), `"' `)
		ext := strings.ToLower(path.Ext(p))
		if disguiseNames[ext] > Info && ext != ".py" && ext != ".pyw" {
			return c, ext
		}
	}
	return nil, ""
}
