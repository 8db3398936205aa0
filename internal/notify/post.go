package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/safeguard-dev/safeguard/internal/buildinfo"
)

// errNoClient is the error of a webhook or Slack send without Config.HTTP.
var errNoClient = errors.New("no HTTP client configured")

// post sends body to u as JSON with the extra headers, and records the
// answer. It never follows redirects, reads at most MaxResponse bytes of
// the answer, and never lets the URL into the error text.
func post(ctx context.Context, cfg Config, t Target, u *url.URL, header http.Header, body []byte) (a Attempt) {
	start := cfg.now()
	a = Attempt{Target: t.String(), Start: start}
	defer func() { a.Duration = cfg.now().Sub(start) }()
	if cfg.HTTP == nil {
		a.Error, a.Permanent = errNoClient.Error(), true
		return a
	}
	client := *cfg.HTTP
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		a.Error, a.Permanent = "build request: "+redactError(err, u, t), true
		return a
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "safeguard/"+buildinfo.Version)
	resp, err := client.Do(req)
	if err != nil {
		if timedOut(ctx, err) {
			a.Error = fmt.Sprintf("no answer within %s", cfg.timeout())
		} else {
			a.Error = redactError(err, u, t)
		}
		return a
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponse))
	a.Status = resp.StatusCode
	a.Response = strings.ToValidUTF8(string(answer), "\uFFFD")
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode <= 299:
		a.Delivered = true
		if err != nil { // the receiver said yes; a cut answer changes nothing
			a.Response += " [answer cut: " + redactError(err, u, t) + "]"
		}
	case resp.StatusCode >= 300 && resp.StatusCode <= 399:
		a.Error = fmt.Sprintf("HTTP %d: redirect not followed; update the target URL", resp.StatusCode)
	case resp.StatusCode == http.StatusGone:
		a.Error, a.Permanent = "HTTP 410 Gone: the receiver asks never to be sent to again", true
	default:
		a.Error = fmt.Sprintf("HTTP %d", resp.StatusCode)
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			a.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), cfg.now())
		}
	}
	return a
}

// retryAfter reads a Retry-After value (seconds or an HTTP date), capped
// at MaxRetryAfter; 0 when absent or unreadable.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		d = time.Duration(min(n, int(MaxRetryAfter/time.Second))) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), MaxRetryAfter)
}

// redactError is err's text with the URL (whose path may hold a token)
// replaced by the redacted target.
func redactError(err error, u *url.URL, t Target) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
		msg := ue.Op + " " + t.String() + ": " + err.Error()
		return strings.ReplaceAll(msg, u.String(), t.String())
	}
	return strings.ReplaceAll(err.Error(), u.String(), t.String())
}

// timedOut reports whether err comes from the attempt's deadline or a
// network timeout.
func timedOut(ctx context.Context, err error) bool {
	var ne net.Error
	return ctx.Err() == context.DeadlineExceeded || (errors.As(err, &ne) && ne.Timeout())
}
