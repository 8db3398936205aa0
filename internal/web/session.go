package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/store"
)

// Cookie names. The session cookie holds the session's secret; the
// sign-in cookie holds the CSRF token of the sign-in form, before there
// is a session to hold one.
const (
	sessionCookie = "sg_session"
	signinCookie  = "sg_signin"
)

// viewer is who is looking: a session, or nobody under --public-read.
type viewer struct {
	Session *store.Session // nil without one
}

// SignedIn reports a session.
func (v viewer) SignedIn() bool { return v.Session != nil }

// Admin reports a session of an admin token.
func (v viewer) Admin() bool { return v.Session != nil && v.Session.Role == store.RoleAdmin }

// CSRF is the token the session's forms carry.
func (v viewer) CSRF() string {
	if v.Session == nil {
		return ""
	}
	return v.Session.CSRF
}

type viewerKey struct{}

func viewerOf(r *http.Request) viewer {
	v, _ := r.Context().Value(viewerKey{}).(viewer)
	return v
}

// session returns the request's live session, or nil.
func (h *Handler) session(r *http.Request) (*store.Session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	s, err := h.opt.Store.Session(r.Context(), c.Value)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return s, err
}

// read wraps a page: it needs a session, unless pages are public.
func (h *Handler) read(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, err := h.session(r)
		if err != nil {
			h.fail(w, r, http.StatusServiceUnavailable, "the store is not answering", err)
			return
		}
		if s == nil && !h.opt.PublicRead {
			http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), viewerKey{}, viewer{s})))
	}
}

// admin wraps a form's POST: it needs an admin's session and the
// session's CSRF token in the form.
func (h *Handler) admin(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		s, err := h.session(r)
		if err != nil {
			h.fail(w, r, http.StatusServiceUnavailable, "the store is not answering", err)
			return
		}
		if s == nil {
			h.fail(w, r, http.StatusUnauthorized, "sign in first", nil)
			return
		}
		if !sameToken(r.PostFormValue("csrf"), s.CSRF) {
			h.fail(w, r, http.StatusForbidden, "the form's CSRF token is missing or wrong: reload the page and try again", nil)
			return
		}
		if s.Role != store.RoleAdmin {
			h.fail(w, r, http.StatusForbidden, "this needs an admin token's session; yours is "+s.Role, nil)
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), viewerKey{}, viewer{s})))
	}
}

// sameToken compares a presented token with the expected one in constant
// time; an empty expected token matches nothing.
func sameToken(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// secure reports a request that came over TLS (directly, or through a
// proxy that says so).
func secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// localPath keeps a redirect target on this site: a path, not a URL
// (browsers drop tabs and line breaks from URLs, so "/\t/evil.example"
// would be "//evil.example": control characters are refused too).
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "/"
	}
	return next
}
