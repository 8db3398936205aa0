package sbom

import (
	"bufio"
	"crypto/sha256"
	"io"
	"sort"
	"strconv"
)

// digest hashes everything a document says, in a fixed order, for the
// content-derived serial number. (Encoding the document as JSON to hash
// it cost as much as writing the SBOM.)
func (d *Document) digest() []byte {
	h := sha256.New()
	w := bufio.NewWriter(h)
	field := func(s string) {
		io.WriteString(w, s)
		w.WriteByte(0)
	}
	component := func(c *Component) {
		field(c.Ref)
		field(c.Name)
		field(c.Version)
		field(c.Specifier)
		field(strconv.FormatBool(c.Required) + strconv.FormatBool(c.Direct) + strconv.FormatBool(c.GraphKnown))
		field(c.Source.Kind + " " + c.Source.URL + " " + strconv.FormatBool(c.Source.Editable))
		for _, x := range c.Hashes {
			field(x.Algorithm + ":" + x.Value)
		}
		for _, f := range c.Files {
			field(f.Kind + " " + f.Name + " " + f.URL + " " + f.Hash + " " + strconv.FormatInt(f.Size, 10) + " " + f.UploadTime)
		}
		if l := c.License; l != nil {
			field(l.Expression)
			for _, s := range l.IDs {
				field(s)
			}
			for _, s := range l.Names {
				field(s)
			}
		}
		for _, g := range c.Groups {
			field(g)
		}
		for _, l := range c.Locations {
			field(l.String())
		}
		for _, p := range c.Risk {
			field(p.Name + "=" + p.Value)
		}
		w.WriteByte(1)
	}
	component(&d.Subject)
	for i := range d.Components {
		component(&d.Components[i])
	}
	refs := make([]string, 0, len(d.DependsOn))
	for r := range d.DependsOn {
		refs = append(refs, r)
	}
	sort.Strings(refs)
	for _, r := range refs {
		field(r)
		for _, on := range d.DependsOn[r] {
			field(on)
		}
		w.WriteByte(1)
	}
	w.Flush()
	return h.Sum(nil)
}
