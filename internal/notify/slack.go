package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// slack POSTs the message to a Slack incoming webhook, as blocks.
type slack struct{ httpTarget }

func parseSlack(spec string) (Target, error) {
	h, err := parseHTTPTarget(spec, "https")
	if err != nil {
		return nil, err
	}
	if h.url.User != nil {
		return nil, errors.New("user info in a Slack URL")
	}
	return &slack{h}, nil
}

func (s *slack) Scheme() string { return "slack" }
func (s *slack) String() string { return "slack:" + redactURL(s.url) }

// Send POSTs m as a Slack message. Slack webhooks are not signed; the URL
// is the secret.
func (s *slack) Send(ctx context.Context, cfg Config, m Message) Attempt {
	if err := m.Check(); err != nil {
		return failed(s, cfg, err)
	}
	body, err := json.Marshal(SlackPayload(m))
	if err != nil {
		return failed(s, cfg, err)
	}
	return post(ctx, cfg, s, s.url, nil, body)
}

// Slack's limits on block text, in characters; we count bytes, which is
// stricter.
const (
	slackHeaderMax  = 150
	slackFieldMax   = 2000
	slackSectionMax = 3000
	slackReasonsMax = 10
)

// SlackPayload is the incoming-webhook message for m: a fallback text and
// blocks (header, summary with fields, evidence, advice, context). Every
// attacker-controlled string is escaped for mrkdwn, and names, paths and
// snippets are shown as code, so Slack neither links nor mentions
// anything in them.
func SlackPayload(m Message) map[string]any {
	fields := []map[string]any{
		mrkdwn("*Project*\n" + code(m.Project)),
		mrkdwn("*Package*\n" + code(m.Package)),
	}
	if m.Version != "" {
		fields = append(fields, mrkdwn("*Version*\n"+code(m.Version)))
	}
	if len(m.Declared) > 0 {
		var where []string
		for _, l := range m.Declared {
			where = append(where, code(l.String()))
		}
		fields = append(fields, mrkdwn("*Declared in*\n"+clip(strings.Join(where, "\n"), slackFieldMax)))
	}
	summary := m.Summary
	if summary == "" {
		summary = m.Title()
	}
	blocks := []map[string]any{
		{"type": "header", "text": map[string]any{"type": "plain_text", "text": clip(escapeMrkdwn(oneLine(m.Title(), slackHeaderMax)), slackHeaderMax)}},
		{"type": "section", "text": mrkdwn(clip(escapeMrkdwn(summary), slackSectionMax)), "fields": fields},
	}
	if len(m.Reasons) > 0 {
		blocks = append(blocks, map[string]any{"type": "section", "text": mrkdwn(clip(slackReasons(m.Reasons), slackSectionMax))})
	}
	if m.Advice != "" {
		blocks = append(blocks, map[string]any{"type": "section", "text": mrkdwn(clip("*What to do*\n"+escapeMrkdwn(m.Advice), slackSectionMax))})
	}
	blocks = append(blocks, map[string]any{"type": "context", "elements": []map[string]any{
		mrkdwn(fmt.Sprintf("%s · alert %s · %s", escapeMrkdwn(m.Type), m.ID, m.Time.UTC().Format(time.RFC3339))),
	}})
	return map[string]any{"text": escapeMrkdwn(oneLine(m.Title(), slackSectionMax)), "blocks": blocks}
}

func slackReasons(rs []Reason) string {
	var b strings.Builder
	b.WriteString("*Why*")
	for i, r := range rs {
		if i == slackReasonsMax {
			fmt.Fprintf(&b, "\n… and %d more", len(rs)-i)
			break
		}
		b.WriteString("\n•")
		for _, part := range []string{r.Advisory, r.Rule, r.Severity} {
			if part != "" {
				b.WriteString(" " + code(part))
			}
		}
		if w := r.Where(); w != "" {
			b.WriteString(" in " + code(w))
		}
		if r.Message != "" {
			b.WriteString(": " + escapeMrkdwn(oneLine(r.Message, 300)))
		}
		if r.Snippet != "" {
			b.WriteString("\n```" + codeText(clip(strings.Join(snippetLines(r.Snippet), "\n"), 1000)) + "```")
		}
	}
	return b.String()
}

func mrkdwn(text string) map[string]any { return map[string]any{"type": "mrkdwn", "text": text} }

// slackEscaper escapes the three characters Slack reads as markup: '<'
// and '>' open links and mentions (<!channel>, <http://...|text>), '&'
// starts the escapes themselves.
var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func escapeMrkdwn(s string) string { return slackEscaper.Replace(s) }

// codeText escapes s to sit between backticks: backticks, which would end
// the code, become a look-alike (U+02CB).
func codeText(s string) string {
	return strings.ReplaceAll(escapeMrkdwn(s), "`", "\u02cb")
}

// code shows s as inline code, on one line.
func code(s string) string {
	if s == "" {
		return "-"
	}
	return "`" + codeText(oneLine(s, 300)) + "`"
}
