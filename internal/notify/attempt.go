package notify

import (
	"time"
)

// Attempt is the record of one delivery attempt, as the store keeps it.
type Attempt struct {
	// Target is the redacted target (Target.String).
	Target string `json:"target"`
	// Start is when the attempt began; Duration how long it took.
	Start    time.Time     `json:"start"`
	Duration time.Duration `json:"duration"`
	// Delivered is true when the receiver accepted the message: an HTTP
	// 2xx, or the SMTP server's 250 after DATA.
	Delivered bool `json:"delivered"`
	// Status is the HTTP status code, or the SMTP reply code of a
	// refusal; 0 when there was no answer (connection error, timeout).
	Status int `json:"status,omitempty"`
	// Response is the start of the answer (at most MaxResponse bytes of
	// the HTTP body, or the SMTP reply), valid UTF-8.
	Response string `json:"response,omitempty"`
	// Error says why the attempt failed; empty when Delivered. It never
	// holds a secret.
	Error string `json:"error,omitempty"`
	// Permanent is true when retrying cannot help: HTTP 410 Gone (the
	// receiver asks never to be sent to again), an SMTP 5xx reply, or a
	// message or configuration that cannot be sent. Everything else that
	// failed (other 4xx, 3xx, 5xx, timeouts, connection errors) is
	// retried on the NextDelay schedule.
	Permanent bool `json:"permanent,omitempty"`
	// RetryAfter is the wait the receiver asked for (Retry-After on a
	// 429 or 503), capped at MaxRetryAfter; 0 when it asked none.
	RetryAfter time.Duration `json:"retry_after,omitempty"`
}

// MaxResponse caps how much of an answer an Attempt keeps.
const MaxResponse = 4 << 10

// MaxRetryAfter caps the Retry-After a receiver may ask for.
const MaxRetryAfter = 10 * time.Hour

// schedule is the Standard Webhooks retry schedule, cut after the second
// 10-hour wait: about 28 hours from the first attempt to the last.
var schedule = []time.Duration{
	0,
	5 * time.Second,
	5 * time.Minute,
	30 * time.Minute,
	2 * time.Hour,
	5 * time.Hour,
	10 * time.Hour,
	10 * time.Hour,
}

// NextDelay says how long to wait before the next attempt when made
// attempts have been made and failed (not permanently): 0 before the first,
// then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h. After the eighth
// failed attempt it returns false: give up. The delays have no jitter;
// a caller that sends many messages may add its own. When an Attempt has
// a RetryAfter, wait for the larger of the two.
func NextDelay(made int) (time.Duration, bool) {
	if made < 0 || made >= len(schedule) {
		return 0, false
	}
	return schedule[made], true
}

// failed is the Attempt of a message or configuration that cannot be
// sent at all: permanent, since sending it again cannot help.
func failed(t Target, cfg Config, err error) Attempt {
	return Attempt{Target: t.String(), Start: cfg.now(), Error: err.Error(), Permanent: true}
}
