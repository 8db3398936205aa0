package python

// External answers, for a module of an artifact, what a top-level import
// of it names in the artifact's other modules: the constant member names
// (or imp.Name when member is "") in the module imp loads, when that
// module is one of the artifact's own and binds the name to one string
// literal at its top level. ok is false for anything else, including
// names of modules outside the artifact.
type External func(imp Import, member string) (v Value, ok bool)

// moduleConst is the value of name, read at slot s and so far known as
// v, when it is a module-level name nothing in this module gives a value
// and an import binds it to another module's constant.
func (m *Module) moduleConst(s slot, v Value, name string) (Value, bool) {
	if m.external == nil || s.fn >= 0 || len(v.From) > 0 {
		return Value{}, false
	}
	return m.externalConst(name, "")
}

// externalConst is the value of name, bound at top level by an import
// of a local module's member (member "") or of a local module whose
// attribute member is read.
func (m *Module) externalConst(name, member string) (Value, bool) {
	if m.external == nil {
		return Value{}, false
	}
	imp, ok := m.importOf[name]
	if !ok || imp.Alias == "" {
		return Value{}, false
	}
	if member == "" && imp.Name == "" {
		return Value{}, false // `import x` binds a module, not a constant
	}
	if _, bound := m.consts[name]; bound {
		return Value{}, false
	}
	if len(m.flows[name]) > 0 {
		return Value{}, false // rebound by this module after the import
	}
	return m.external(imp, member)
}

// externalAttr is the value of an attribute read of a constant from an
// imported local module (config.URL).
func (m *Module) externalAttr(n int32) (Value, bool) {
	if m.external == nil {
		return Value{}, false
	}
	t := m.Tree
	obj, attr := t.ChildByField(n, FObject), t.ChildByField(n, FAttribute)
	if obj < 0 || attr < 0 || t.Nodes[obj].Kind != KIdentifier {
		return Value{}, false
	}
	name := t.Text(obj)
	if s := m.slotAt(obj, name); s.fn >= 0 {
		return Value{}, false
	}
	return m.externalConst(name, t.Text(attr))
}
