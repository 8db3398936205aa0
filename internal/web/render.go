package web

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

// page is what every template gets: the page's own data and who is
// looking.
type page struct {
	Title  string
	Nav    string // the menu entry to mark
	Viewer viewer
	Public bool
	Data   any
}

// Nav is the menu: path and label.
var nav = [][2]string{{"/", "Overview"}, {"/feed", "Feed"}, {"/projects", "Projects"}, {"/alerts", "Alerts"},
	{"/decisions", "Proxy decisions"}, {"/rules", "Rules"}}

var funcs = template.FuncMap{
	"nav": func() [][2]string { return nav },
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		return t.UTC().Format("2006-01-02 15:04:05 UTC")
	},
	"flagged": func(verdict string) bool { return verdict == "malicious" || verdict == "suspicious" },
	// pkg is the path of a package's page (a name is one path segment,
	// whatever it holds).
	"pkg": func(name string) string { return "/packages/" + url.PathEscape(name) },
	"esc": url.PathEscape,
	"short": func(s string) string {
		if len(s) > 12 {
			return s[:12]
		}
		return s
	},
	"join":    strings.Join,
	"decoded": decoded,
	"add":     func(a, b int) int { return a + b },
}

// parsePages parses each page's template with the layout.
func parsePages() map[string]*template.Template {
	layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html"))
	names, _ := templateFS.ReadDir("templates")
	pages := map[string]*template.Template{}
	for _, n := range names {
		if n.Name() == "layout.html" {
			continue
		}
		t := template.Must(template.Must(layout.Clone()).ParseFS(templateFS, "templates/"+n.Name()))
		pages[strings.TrimSuffix(n.Name(), path.Ext(n.Name()))] = t
	}
	return pages
}

// render writes a page; the template runs into a buffer first, so that a
// failure half-way is an error page, not half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, code int, name, title string, data any) {
	p := page{Title: title, Nav: "/" + strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")[0], Viewer: viewerOf(r), Public: h.opt.PublicRead, Data: data}
	if p.Nav == "/packages" {
		p.Nav = "/feed"
	}
	var b bytes.Buffer
	if err := h.pages[name].ExecuteTemplate(&b, "layout.html", p); err != nil {
		h.opt.Logger.Error("render page", "page", name, "error", err)
		http.Error(w, "the page could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(b.Bytes())
}

type problem struct{ Message string }

// fail shows an error page; err, if any, goes to the log, not the page.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, code int, msg string, err error) {
	if err != nil {
		h.opt.Logger.Error("dashboard", "path", r.URL.Path, "error", err)
	}
	h.render(w, r, code, "error", http.StatusText(code), problem{msg})
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request, msg string) {
	h.fail(w, r, http.StatusNotFound, msg, nil)
}
