package web

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/store"
)

type signinData struct {
	Next, CSRF, Problem string
}

// signinForm shows the sign-in form, with a fresh CSRF token also set as
// a cookie (the form must send back both).
func (h *Handler) signinForm(w http.ResponseWriter, r *http.Request) {
	h.showSignin(w, r, http.StatusOK, "")
}

func (h *Handler) showSignin(w http.ResponseWriter, r *http.Request, code int, problem string) {
	b := make([]byte, 24)
	rand.Read(b)
	csrf := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: signinCookie, Value: csrf, Path: "/signin", HttpOnly: true, Secure: secure(r),
		SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	h.render(w, r, code, "signin", "Sign in", signinData{Next: localPath(r.FormValue("next")), CSRF: csrf, Problem: problem})
}

// signin opens a session with an API token posted by the form.
func (h *Handler) signin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	c, err := r.Cookie(signinCookie)
	if err != nil || !sameToken(r.PostFormValue("csrf"), c.Value) {
		h.fail(w, r, http.StatusForbidden, "the form's CSRF token is missing or wrong: reload the sign-in page and try again", nil)
		return
	}
	tok := strings.TrimSpace(r.PostFormValue("token"))
	sess, err := h.opt.Store.CreateSession(r.Context(), tok, h.opt.SessionTTL)
	if errors.Is(err, store.ErrNotFound) {
		h.showSignin(w, r, http.StatusUnauthorized, "Unknown or revoked token. Make one with: safeguard token create NAME")
		return
	}
	if err != nil {
		h.fail(w, r, http.StatusServiceUnavailable, "the store is not answering", err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: signinCookie, Value: "", Path: "/signin", MaxAge: -1})
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sess.ID, Path: "/", HttpOnly: true, Secure: secure(r),
		SameSite: http.SameSiteStrictMode, Expires: sess.Expires})
	http.Redirect(w, r, localPath(r.PostFormValue("next")), http.StatusSeeOther)
}

// signout ends the session (with its CSRF token: a foreign page cannot
// sign anyone out).
func (h *Handler) signout(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	s, err := h.session(r)
	if err != nil {
		h.fail(w, r, http.StatusServiceUnavailable, "the store is not answering", err)
		return
	}
	if s != nil {
		if !sameToken(r.PostFormValue("csrf"), s.CSRF) {
			h.fail(w, r, http.StatusForbidden, "the form's CSRF token is missing or wrong: reload the page and try again", nil)
			return
		}
		if err := h.opt.Store.DeleteSession(r.Context(), s.ID); err != nil {
			h.fail(w, r, http.StatusServiceUnavailable, "the store is not answering", err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}
