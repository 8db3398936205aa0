package notify

import (
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"
)

// The test vector published with the Standard Webhooks reference
// libraries.
const (
	vectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vectorID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vectorTS     = 1614265330
	vectorBody   = `{"test": 2432232314}`
	vectorSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func vectorHeader(sig string) http.Header {
	h := http.Header{}
	h.Set(HeaderID, vectorID)
	h.Set(HeaderTimestamp, strconv.Itoa(vectorTS))
	h.Set(HeaderSignature, sig)
	return h
}

func TestSignVector(t *testing.T) {
	got, err := Sign(vectorSecret, vectorID, vectorTS, []byte(vectorBody))
	if err != nil || got != vectorSig {
		t.Fatalf("Sign = %q, %v; want %q", got, err, vectorSig)
	}
}

func TestVerify(t *testing.T) {
	at := time.Unix(vectorTS, 0)
	tests := []struct {
		name string
		h    http.Header
		body string
		now  time.Time
		want error
	}{
		{"vector", vectorHeader(vectorSig), vectorBody, at, nil},
		{"one of several signatures", vectorHeader("v1a,AAAA v1,bm9wZQ== " + vectorSig), vectorBody, at, nil},
		{"within tolerance", vectorHeader(vectorSig), vectorBody, at.Add(4 * time.Minute), nil},
		{"tampered body", vectorHeader(vectorSig), `{"test": 2432232315}`, at, ErrSignature},
		{"old timestamp", vectorHeader(vectorSig), vectorBody, at.Add(6 * time.Minute), ErrTimestamp},
		{"future timestamp", vectorHeader(vectorSig), vectorBody, at.Add(-6 * time.Minute), ErrTimestamp},
		{"wrong version", vectorHeader("v2," + vectorSig[3:]), vectorBody, at, ErrSignature},
		{"no signature", vectorHeader(""), vectorBody, at, ErrHeaders},
		{"bad timestamp", func() http.Header { h := vectorHeader(vectorSig); h.Set(HeaderTimestamp, "1e9"); return h }(), vectorBody, at, ErrHeaders},
		{"other id", func() http.Header { h := vectorHeader(vectorSig); h.Set(HeaderID, "msg_other"); return h }(), vectorBody, at, ErrSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := verifyAt(vectorSecret, tt.h, []byte(tt.body), tt.now, DefaultTolerance)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestVerifyOtherSecret(t *testing.T) {
	err := verifyAt(GenerateSecret(), vectorHeader(vectorSig), []byte(vectorBody), time.Unix(vectorTS, 0), DefaultTolerance)
	if !errors.Is(err, ErrSignature) {
		t.Errorf("verify with another secret = %v, want ErrSignature", err)
	}
}

func TestParseSecret(t *testing.T) {
	for _, s := range []string{
		"",
		"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", // no prefix
		"whsec_not base64!",                // not base64
		"whsec_c2hvcnQ=",                   // 5 bytes
		"whsec_",                           // empty
	} {
		if _, err := ParseSecret(s); !errors.Is(err, ErrSecret) {
			t.Errorf("ParseSecret(%q) = %v, want ErrSecret", s, err)
		}
	}
	a, b := GenerateSecret(), GenerateSecret()
	if a == b {
		t.Error("GenerateSecret made the same secret twice")
	}
	if key, err := ParseSecret(a); err != nil || len(key) != 32 {
		t.Errorf("ParseSecret(GenerateSecret()) = %d bytes, %v", len(key), err)
	}
}
