package python

// Definition returns the value node of the last plain assignment to name
// ("name = <value>") anywhere in the module, or -1.
func (m *Module) Definition(name string) int32 {
	t := m.Tree
	found := int32(-1)
	for i := range t.Nodes {
		if t.Nodes[i].Kind != KAssignment {
			continue
		}
		l, r := t.ChildByField(int32(i), FLeft), t.ChildByField(int32(i), FRight)
		if l >= 0 && r >= 0 && t.Nodes[l].Kind == KIdentifier && t.Text(l) == name {
			found = r
		}
	}
	return found
}
