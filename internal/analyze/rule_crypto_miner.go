package analyze

// cryptoMiner: mining software and pools.
type cryptoMiner struct{}

var _ Rule = (*cryptoMiner)(nil)

func (cryptoMiner) Info() RuleInfo {
	return RuleInfo{ID: "crypto-miner", Severity: Critical, AnyContext: true,
		Description:        "Cryptocurrency mining: miner binaries (xmrig...), stratum pool URLs, miner command-line options.",
		AnyContextTriggers: []string{"xmrig", "stratum", "donate-level", "cryptonight", "nicehash", "minexmr", "moneroocean", "nanopool", "ethminer", "nbminer"}}
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
}
