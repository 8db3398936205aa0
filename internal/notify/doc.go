// Package notify delivers one alert message to one place: a signed
// webhook (Standard Webhooks), a Slack incoming webhook, or an e-mail over
// SMTP. Each kind of place is a Target parsed from a spec string such as
// "webhook:https://example.com/hooks/safeguard", listed by its scheme in
// one registry.
//
// A Send makes one attempt and returns what happened as data (an
// Attempt): the status or SMTP reply, the start of the answer, the error,
// and whether the failure is permanent. Retrying, the outbox and the
// record of attempts belong to the caller; NextDelay gives the Standard
// Webhooks retry schedule it should follow.
//
// Targets never show secrets when printed: String is the redacted form,
// and only Spec returns the spec as written, for the store.
//
// The package is not a fetch policy: outbound HTTP goes through the
// *http.Client the caller passes in Config, so the caller decides which
// addresses may be reached. The subpackage notifytest holds real
// receivers (HTTP and SMTP) for tests.
package notify
