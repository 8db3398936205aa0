package python

// Params returns the names of the parameters of the function defined at
// node fn, in order: plain, defaulted and typed parameters; "" for *args,
// **kwargs and anything else.
func (m *Module) Params(fn int32) []string {
	t := m.Tree
	ps := t.ChildByField(fn, fParameters)
	if ps < 0 {
		return nil
	}
	var out []string
	for p := t.FirstChild(ps); p >= 0; p = t.NextSibling(p) {
		switch t.Nodes[p].Kind {
		case KIdentifier:
			out = append(out, t.Text(p))
		case kDefaultParam, kTypedParam, kTypedDefaultParam:
			name := t.ChildByField(p, FName)
			if name < 0 {
				name = t.FirstChild(p)
			}
			if name >= 0 && t.Nodes[name].Kind == KIdentifier {
				out = append(out, t.Text(name))
			} else {
				out = append(out, "")
			}
		default:
			out = append(out, "")
		}
	}
	return out
}
