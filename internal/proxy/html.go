package proxy

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/url"
	"path"
	"strings"

	xhtml "golang.org/x/net/html"
)

// parseHTMLPage reads a PEP 503 project page: one anchor per file, the
// hash in the URL fragment, data-requires-python, data-yanked,
// data-core-metadata (or the older data-dist-info-metadata),
// data-provenance and data-gpg-sig. base resolves relative URLs.
func parseHTMLPage(name string, body io.Reader, base *url.URL) (*Project, error) {
	doc, err := xhtml.Parse(body)
	if err != nil {
		return nil, fmt.Errorf("project page: %w", err)
	}
	p := &Project{Name: name, Meta: ProjectMeta{APIVersion: apiVersion}}
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && n.Data == "meta" {
			if attr(n, "name") == "pypi:project-status" {
				p.Status = &Status{Status: attr(n, "content")}
			}
			if attr(n, "name") == "pypi:project-status-reason" && p.Status != nil {
				p.Status.Reason = attr(n, "content")
			}
		}
		if n.Type == xhtml.ElementNode && n.Data == "a" {
			if f, ok := anchorFile(n, base); ok {
				p.Files = append(p.Files, f)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return p, nil
}

func anchorFile(n *xhtml.Node, base *url.URL) (File, bool) {
	href := attr(n, "href")
	if href == "" {
		return File{}, false
	}
	u, err := base.Parse(href)
	if err != nil {
		return File{}, false
	}
	f := File{Hashes: map[string]string{}}
	if alg, val, ok := strings.Cut(u.Fragment, "="); ok {
		f.Hashes[strings.ToLower(alg)] = strings.ToLower(val)
	}
	u.Fragment = ""
	f.upstream = u.String()
	f.Filename = text(n)
	if f.Filename == "" {
		f.Filename = path.Base(u.Path)
	}
	if rp, ok := attrOK(n, "data-requires-python"); ok {
		f.RequiresPython = rp // x/net/html has unescaped &lt;
	}
	if y, ok := attrOK(n, "data-yanked"); ok {
		if y == "" {
			f.Yanked = json.RawMessage("true")
		} else {
			b, _ := json.Marshal(y)
			f.Yanked = b
		}
	}
	meta, ok := attrOK(n, "data-core-metadata")
	if !ok {
		meta, ok = attrOK(n, "data-dist-info-metadata")
	}
	if ok {
		f.CoreMetadata = metadataValue(meta)
	}
	if pv := attr(n, "data-provenance"); pv != "" {
		b, _ := json.Marshal(pv)
		f.Provenance = b
	}
	if g, ok := attrOK(n, "data-gpg-sig"); ok {
		v := g == "true"
		f.GPGSig = &v
	}
	return f, true
}

// metadataValue turns data-core-metadata ("true" or "sha256=<hex>") into
// its JSON form.
func metadataValue(v string) json.RawMessage {
	if alg, val, ok := strings.Cut(v, "="); ok {
		b, _ := json.Marshal(map[string]string{strings.ToLower(alg): strings.ToLower(val)})
		return b
	}
	return json.RawMessage("true")
}

// writeHTMLPage writes a PEP 503 page for p (file URLs already rewritten).
func writeHTMLPage(w io.Writer, p *Project) error {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html>\n<head>\n<meta name=\"pypi:repository-version\" content=\"" + apiVersion + "\">\n")
	if p.Status != nil && p.Status.Status != "" {
		fmt.Fprintf(&b, "<meta name=\"pypi:project-status\" content=\"%s\">\n", html.EscapeString(p.Status.Status))
		if p.Status.Reason != "" {
			fmt.Fprintf(&b, "<meta name=\"pypi:project-status-reason\" content=\"%s\">\n", html.EscapeString(p.Status.Reason))
		}
	}
	fmt.Fprintf(&b, "<title>Links for %s</title>\n</head>\n<body>\n<h1>Links for %s</h1>\n", html.EscapeString(p.Name), html.EscapeString(p.Name))
	for i := range p.Files {
		f := &p.Files[i]
		href := f.URL
		if h := f.SHA256(); h != "" {
			href += "#sha256=" + h
		}
		fmt.Fprintf(&b, "<a href=\"%s\"", html.EscapeString(href))
		if f.RequiresPython != "" {
			fmt.Fprintf(&b, " data-requires-python=\"%s\"", html.EscapeString(f.RequiresPython))
		}
		if y, reason := f.IsYanked(); y {
			fmt.Fprintf(&b, " data-yanked=\"%s\"", html.EscapeString(reason))
		}
		if v := metadataAttr(f.CoreMetadata); v != "" {
			fmt.Fprintf(&b, " data-core-metadata=\"%s\" data-dist-info-metadata=\"%s\"", html.EscapeString(v), html.EscapeString(v))
		}
		var prov string
		if json.Unmarshal(f.Provenance, &prov) == nil && prov != "" {
			fmt.Fprintf(&b, " data-provenance=\"%s\"", html.EscapeString(prov))
		}
		fmt.Fprintf(&b, ">%s</a><br>\n", html.EscapeString(f.Filename))
	}
	b.WriteString("</body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// metadataAttr is the data-core-metadata value of a core-metadata field:
// "sha256=<hex>", "true", or "" for none.
func metadataAttr(m json.RawMessage) string {
	if len(m) == 0 || string(m) == "false" || string(m) == "null" {
		return ""
	}
	var hashes map[string]string
	if json.Unmarshal(m, &hashes) == nil {
		if h, ok := hashes["sha256"]; ok {
			return "sha256=" + h
		}
	}
	return "true"
}

func attr(n *xhtml.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *xhtml.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func text(n *xhtml.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == xhtml.TextNode {
			b.WriteString(c.Data)
		}
	}
	return strings.TrimSpace(b.String())
}
