package analyze

import "regexp"

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
		if w := reMinedWallet.FindString(s.s); w != "" {
			r.report(x.Info(), f, Critical, false, s.line, 0, s.ctx, "holds the wallet address "+w+" and starts programs (line "+itoa(run.Line)+"): a miner paying its author", w)
			return
		}
	}
}

// reMinedWallet matches the addresses of coins mined on CPUs, which a
// miner is given to be paid to: Monero's (95 base58 characters from 4 or
// 8) and Dero's (bech32, dero1...).
var reMinedWallet = regexp.MustCompile(`\b[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93}\b|\bdero1[02-9ac-hj-np-z]{50,70}\b`)
