package analyze

import (
	"regexp"
	"strings"
)

// cryptoMiner: mining software and pools.
type cryptoMiner struct{}

var _ Rule = (*cryptoMiner)(nil)

func (cryptoMiner) Info() RuleInfo {
	return RuleInfo{ID: "crypto-miner", Severity: Critical, AnyContext: true,
		Description:        "Cryptocurrency mining: miner binaries (xmrig...), stratum pool URLs, miner command-line options, the wallet address of a coin mined on CPUs (Monero, Dero) in code that starts programs.",
		AnyContextTriggers: []string{"xmrig", "stratum", "donate-level", "cryptonight", "nicehash", "minexmr", "moneroocean", "nanopool", "ethminer", "nbminer", "dero1"}}
}

func (x cryptoMiner) Check(f *file, r *reporter) {
	for _, s := range f.strs {
		for _, h := range s.hits {
			if h.class == indMiner {
				r.report(x.Info(), f, Critical, false, s.line, 0, s.ctx, "mining: "+h.match, h.match)
				return
			}
		}
	}
	var run *callFact
	for i := range f.calls {
		if f.calls[i].proc {
			run = &f.calls[i]
			break
		}
	}
	if run == nil {
		return
	}
	for _, s := range f.strs {
		w := moneroAddress(s.s)
		if w == "" && strings.Contains(s.s, "dero1") {
			w = reDeroWallet.FindString(s.s)
		}
		if w != "" {
			r.report(x.Info(), f, Critical, false, s.line, 0, s.ctx, "holds the wallet address "+w+" and starts programs (line "+itoa(run.Line)+"): a miner paying its author", w)
			return
		}
	}
}

// reDeroWallet matches a Dero address (bech32, dero1...), which a miner
// is given to be paid to.
var reDeroWallet = regexp.MustCompile(`\bdero1[02-9ac-hj-np-z]{50,70}\b`)

// moneroAddress returns the first Monero address in s: a word of
// exactly 95 base58 characters beginning 4 or 8 and then a digit, A or B.
// One pass over s, as long blobs are common and an expression over them
// is not cheap.
func moneroAddress(s string) string {
	for i := 0; i < len(s); {
		if wordClass[s[i]] == 0 {
			i++
			continue
		}
		j, base58 := i, true
		for j < len(s) && wordClass[s[j]] != 0 {
			base58 = base58 && wordClass[s[j]] == wordBase58
			j++
		}
		if j-i == 95 && base58 && (s[i] == '4' || s[i] == '8') && (s[i+1] >= '0' && s[i+1] <= '9' || s[i+1] == 'A' || s[i+1] == 'B') {
			return s[i:j]
		}
		i = j
	}
	return ""
}

// wordClass tells the bytes of words (letters, digits, underscore) and,
// among them, base58's (no 0, O, I, l or underscore).
var wordClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		if isWordByte(byte(c)) {
			t[c] = wordOther
			if c != '0' && c != 'O' && c != 'I' && c != 'l' && c != '_' {
				t[c] = wordBase58
			}
		}
	}
	return t
}()

const (
	wordOther  = 1
	wordBase58 = 2
)

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
