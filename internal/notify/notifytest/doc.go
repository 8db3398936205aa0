// Package notifytest holds real receivers for the channels of package
// notify, for tests: an HTTP receiver that verifies Standard Webhooks
// signatures (or takes Slack messages), and an SMTP server (go-smtp) with
// optional AUTH PLAIN, STARTTLS or implicit TLS. Both record what they
// receive and can be told to refuse the next few deliveries. It is for
// tests only: nothing here belongs in a running server.
package notifytest
