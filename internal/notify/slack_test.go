package notify_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/notify"
	"github.com/safeguard-dev/safeguard/internal/notify/notifytest"
)

func TestSlack(t *testing.T) {
	r := notifytest.NewSlackReceiver(t)
	cfg := notify.DefaultConfig()
	cfg.HTTP = r.Server.Client()
	a := mustParse(t, r.Spec()).Send(context.Background(), cfg, hostileMessage())
	if !a.Delivered || a.Status != 200 || a.Response != "ok" {
		t.Fatalf("attempt = %+v", a)
	}
	got := r.Accepted()
	if len(got) != 1 {
		t.Fatalf("deliveries = %+v", r.Deliveries())
	}
	var msg struct {
		Text   string `json:"text"`
		Blocks []struct {
			Type     string            `json:"type"`
			Text     map[string]string `json:"text"`
			Fields   []map[string]string
			Elements []map[string]string
		} `json:"blocks"`
	}
	if err := json.Unmarshal(got[0].Body, &msg); err != nil {
		t.Fatal(err)
	}
	var types []string
	texts := []string{msg.Text}
	for _, b := range msg.Blocks {
		types = append(types, b.Type)
		texts = append(texts, b.Text["text"])
		for _, f := range append(b.Fields, b.Elements...) {
			texts = append(texts, f["text"])
		}
	}
	if got := strings.Join(types, " "); got != "header section section section context" {
		t.Errorf("blocks = %s, want header, summary, reasons, advice, context", got)
	}
	if h := msg.Blocks[0].Text; h["type"] != "plain_text" || len(h["text"]) > 150 {
		t.Errorf("header = %v", h)
	}
	if n := len(msg.Blocks[1].Fields); n != 4 {
		t.Errorf("%d fields, want project, package, version, declared", n)
	}
	all := strings.Join(texts, "\n")
	// No markup from the attacker: no raw < or > (links, mentions), and
	// every & starts an escape.
	if strings.ContainsAny(all, "<>") {
		t.Errorf("raw < or > in the Slack message:\n%s", all)
	}
	if m := regexp.MustCompile(`&(?:amp|lt|gt);`).ReplaceAllString(all, ""); strings.Contains(m, "&") {
		t.Errorf("unescaped & in the Slack message:\n%s", all)
	}
	for _, want := range []string{
		"`&lt;script&gt;alert(1)&lt;/script&gt;`", // package name as code
		"`1.0 &amp; &lt;!channel&gt;`",            // version
		"`setup.py:12`",
		"`requirements.txt:3`",
		"`MAL-2026-1234`",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("message lacks %s:\n%s", want, all)
		}
	}
	// The snippet's own backticks cannot close the code block.
	if n := strings.Count(all, "```"); n != 2 {
		t.Errorf("%d ``` in the message, want the 2 around the snippet:\n%s", n, all)
	}
	if strings.Contains(all, "\x1b") || strings.Contains(all, "\r") {
		t.Error("control characters in the message")
	}
}

func TestSlackErrorHidesToken(t *testing.T) {
	r := notifytest.NewSlackReceiver(t)
	cfg := notify.DefaultConfig()
	cfg.HTTP = r.Server.Client()
	spec := "slack:" + r.Server.URL + "/services/T0/B0/SECRETTOKEN"
	r.Server.Close()
	a := mustParse(t, spec).Send(context.Background(), cfg, alert())
	if a.Delivered || a.Error == "" || strings.Contains(a.Error+a.Target, "SECRETTOKEN") {
		t.Errorf("attempt = %+v", a)
	}
}
