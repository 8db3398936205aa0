package notify

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Standard Webhooks header names.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// SecretPrefix starts every Standard Webhooks symmetric secret.
const SecretPrefix = "whsec_"

// Errors of ParseSecret and Verify.
var (
	ErrSecret    = errors.New("invalid webhook secret")
	ErrHeaders   = errors.New("missing or malformed webhook headers")
	ErrTimestamp = errors.New("webhook timestamp outside the tolerance")
	ErrSignature = errors.New("no matching webhook signature")
)

// DefaultTolerance is how far a webhook-timestamp may be from the
// receiver's clock, either way, before Verify refuses it as a replay.
const DefaultTolerance = 5 * time.Minute

// ParseSecret returns the HMAC key of a "whsec_<base64>" secret: 24 to 64
// bytes, as the spec asks.
func ParseSecret(secret string) ([]byte, error) {
	b64, ok := strings.CutPrefix(secret, SecretPrefix)
	if !ok {
		return nil, fmt.Errorf("%w: does not start with %q", ErrSecret, SecretPrefix)
	}
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("%w: the part after %q is not base64", ErrSecret, SecretPrefix)
	}
	if len(key) < 24 || len(key) > 64 {
		return nil, fmt.Errorf("%w: key is %d bytes, want 24 to 64", ErrSecret, len(key))
	}
	return key, nil
}

// GenerateSecret returns a new random secret with a 32-byte key.
func GenerateSecret() string {
	key := make([]byte, 32)
	rand.Read(key) // never fails (crypto/rand panics instead)
	return SecretPrefix + base64.StdEncoding.EncodeToString(key)
}

// Sign returns the webhook-signature value of body sent with id at the
// timestamp ts (unix seconds): "v1," and the base64 HMAC-SHA256 of
// "id.ts.body".
func Sign(secret, id string, ts int64, body []byte) (string, error) {
	key, err := ParseSecret(secret)
	if err != nil {
		return "", err
	}
	return "v1," + base64.StdEncoding.EncodeToString(mac(key, id, strconv.FormatInt(ts, 10), body)), nil
}

// mac is the HMAC-SHA256 of "id.ts.body", ts as written in the header.
func mac(key []byte, id, ts string, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(id + "." + ts + "."))
	h.Write(body)
	return h.Sum(nil)
}

// Verify checks a received webhook: the headers are present, the timestamp
// is within tolerance of now, and one of the space-separated v1
// signatures matches (compared in constant time). Signatures of other
// versions are ignored.
func Verify(secret string, h http.Header, body []byte, tolerance time.Duration) error {
	return verifyAt(secret, h, body, time.Now(), tolerance)
}

func verifyAt(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	key, err := ParseSecret(secret)
	if err != nil {
		return err
	}
	id, tsText, sigs := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if id == "" || tsText == "" || sigs == "" {
		return fmt.Errorf("%w: want %s, %s and %s", ErrHeaders, HeaderID, HeaderTimestamp, HeaderSignature)
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %s is not an integer", ErrHeaders, HeaderTimestamp)
	}
	if skew := float64(now.Unix()) - float64(ts); math.Abs(skew) > tolerance.Seconds() {
		return fmt.Errorf("%w: %s is %.0f s from now", ErrTimestamp, HeaderTimestamp, skew)
	}
	want := mac(key, id, tsText, body)
	for _, sig := range strings.Fields(sigs) {
		b64, ok := strings.CutPrefix(sig, "v1,")
		if !ok {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(b64)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return ErrSignature
}
