package netpolicy

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// testGuards are the default file policy with some hosts and ranges
// allowed, and the default notification policy.
func testGuards(t testing.TB) (files, notify *Guard) {
	t.Helper()
	p := DefaultFileFetch()
	p.Allow = []string{"index.internal:8443", "10.1.0.0/16", "mirror.internal", "fd00::5"}
	files, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	notify, err = New(DefaultNotify())
	if err != nil {
		t.Fatal(err)
	}
	return files, notify
}

func TestCheckURL(t *testing.T) {
	fg, ng := testGuards(t)
	for _, c := range []struct {
		g      *Guard
		url    string
		refuse string // "" = allowed; else a word of the reason
	}{
		{fg, "https://files.pythonhosted.org/packages/x.whl", ""},
		{fg, "https://FILES.pythonhosted.org./packages/x.whl", ""},
		{fg, "http://files.pythonhosted.org:8080/x.whl", ""}, // the address is checked when dialled
		{fg, "https://index.internal:8443/packages/x.whl", ""},
		{fg, "https://index.internal/packages/x.whl", "not on the list"}, // another port: another origin
		{fg, "https://mirror.internal:1234/x.whl", ""},
		{fg, "http://10.1.2.3/x.whl", ""},
		{fg, "http://[fd00::5]:81/x.whl", ""},
		{fg, "http://10.2.0.1/x.whl", "not on the list"},
		{fg, "http://169.254.169.254/latest/meta-data/", "not on the list"},
		{fg, "https://evil.example/x.whl", "not on the list"},
		{fg, "file:///etc/passwd", "scheme"},
		{fg, "ftp://files.pythonhosted.org/x.whl", "scheme"},
		{fg, "gopher://files.pythonhosted.org/x", "scheme"},
		{fg, "https:///x.whl", "no host"},
		{fg, "https:files.pythonhosted.org", "no host"},
		{ng, "https://hooks.slack.com/services/x", ""},
		{ng, "http://10.0.0.5/hook", ""},
		{ng, "http://127.0.0.1:9/hook", ""},
		{ng, "http://[fd00::1]/hook", ""},
		{ng, "http://169.254.169.254/latest/meta-data/", "link-local"},
		{ng, "http://[::ffff:169.254.169.254]/", "link-local"},
		{ng, "http://[fe80::1%25eth0]/", "link-local"},
		{ng, "http://224.0.0.1/", "multicast"},
		{ng, "http://0.0.0.0:80/", "unspecified"},
		{ng, "http://[::]:80/", "unspecified"},
		{ng, "http://192.0.2.1/", "reserved"},
		{ng, "javascript:alert(1)", "scheme"},
	} {
		u, err := url.Parse(c.url)
		if err != nil {
			t.Fatalf("%s: %v", c.url, err)
		}
		err = c.g.CheckURL(u)
		switch {
		case c.refuse == "" && err != nil:
			t.Errorf("%s refused: %v", c.url, err)
		case c.refuse != "" && err == nil:
			t.Errorf("%s allowed, want refused (%s)", c.url, c.refuse)
		case c.refuse != "" && (!errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), c.refuse)):
			t.Errorf("%s: %v, want ErrRefused saying %q", c.url, err, c.refuse)
		}
	}
}

func TestNewRejectsBadEntries(t *testing.T) {
	for _, bad := range []string{"http://host", "host:port", "user@host", "", "10.0.0.0/33", "a b", "host:"} {
		p := DefaultFileFetch()
		p.Allow = []string{bad}
		if _, err := New(p); err == nil {
			t.Errorf("Allow %q accepted", bad)
		}
	}
	for _, good := range []string{"host", "Host.Example.", "host:8080", "10.0.0.0/8", "10.0.0.1", "::1", "[::1]:8080", "fd00::/8"} {
		p := DefaultFileFetch()
		p.Allow = []string{good}
		if _, err := New(p); err != nil {
			t.Errorf("Allow %q: %v", good, err)
		}
	}
}
