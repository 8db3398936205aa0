package notify

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestNextDelay(t *testing.T) {
	var got []time.Duration
	for made := 0; ; made++ {
		d, ok := NextDelay(made)
		if !ok {
			break
		}
		got = append(got, d)
	}
	want := []time.Duration{0, 5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("schedule (-want +got):\n%s", diff)
	}
	if _, ok := NextDelay(-1); ok {
		t.Error("NextDelay(-1) ok")
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	tests := map[string]time.Duration{
		"":                              0,
		"120":                           2 * time.Minute,
		"-5":                            0,
		"soon":                          0,
		"999999999999":                  MaxRetryAfter,
		"Wed, 02 Dec 2026 12:10:00 GMT": 10 * time.Minute,
		"Wed, 02 Dec 2026 11:00:00 GMT": 0,
	}
	for in, want := range tests {
		if got := retryAfter(in, now); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}
