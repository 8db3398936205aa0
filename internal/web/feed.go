package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/safeguard-dev/safeguard/internal/pkgname"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// verdicts are the verdicts the feed filters by.
var verdicts = store.Verdicts

// feedFilter reads the feed's query: verdict, name, since and until
// (dates, 2006-01-02, or RFC 3339 times), after (a page key) and limit.
func feedFilter(q url.Values) (store.FeedFilter, error) {
	f := store.FeedFilter{Verdict: q.Get("verdict"), After: q.Get("after")}
	if f.Verdict != "" && !slices.Contains(verdicts, f.Verdict) {
		return f, fmt.Errorf("verdict %q: want one of %v", f.Verdict, verdicts)
	}
	if name := q.Get("name"); name != "" {
		f.Name = pkgname.Normalize(name)
	}
	var err error
	if f.Since, err = parseWhen(q.Get("since")); err != nil {
		return f, fmt.Errorf("since: %w", err)
	}
	if f.Until, err = parseWhen(q.Get("until")); err != nil {
		return f, fmt.Errorf("until: %w", err)
	}
	if _, err := time.Parse("2006-01-02", q.Get("until")); err == nil {
		f.Until = f.Until.Add(24 * time.Hour) // until a day: that day included
	}
	if l := q.Get("limit"); l != "" {
		if f.Limit, err = strconv.Atoi(l); err != nil || f.Limit < 1 || f.Limit > 500 {
			return f, fmt.Errorf("limit %q: want a number from 1 to 500", l)
		}
	}
	return f, nil
}

func parseWhen(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02T15:04", s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, fmt.Errorf("%q: want a date (2006-01-02) or a time (2006-01-02T15:04:05Z)", s)
	}
	return t, nil
}

type feedData struct {
	Page     *store.FeedPage
	Filter   store.FeedFilter
	Query    url.Values
	Verdicts []string
	NextURL  string
	Problem  string
}

func (h *Handler) feedPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := feedData{Query: q, Verdicts: verdicts, Page: &store.FeedPage{}}
	f, err := feedFilter(q)
	if err != nil {
		d.Problem = err.Error()
		h.render(w, r, http.StatusBadRequest, "feed", "Feed", d)
		return
	}
	d.Filter = f
	d.Page, err = h.opt.Store.Feed(r.Context(), f)
	if errors.Is(err, store.ErrBadPageKey) {
		d.Page, d.Problem = &store.FeedPage{}, "this is not a page of the feed: start again from the first page"
		h.render(w, r, http.StatusBadRequest, "feed", "Feed", d)
		return
	}
	if err != nil {
		h.fail(w, r, http.StatusServiceUnavailable, "the store is not answering", err)
		return
	}
	if d.Page.Next != "" {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("after", d.Page.Next)
		d.NextURL = "/feed?" + next.Encode()
	}
	h.render(w, r, http.StatusOK, "feed", "Feed", d)
}
