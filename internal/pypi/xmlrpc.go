package pypi

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
)

// Call calls an XML-RPC method at BaseURL/pypi and returns its value:
// int64, string, bool, float64, nil, []any or map[string]any. A fault is
// a *Fault error (errors.Is(err, ErrRateLimited) for a rate limit); a
// malformed answer wraps ErrMalformed, one over MaxBody ErrTooLarge.
func (c *Client) Call(ctx context.Context, method string, params ...any) (any, error) {
	v, err := c.call(ctx, method, params...)
	if err != nil {
		return nil, err
	}
	return v.any(), nil
}

func (c *Client) call(ctx context.Context, method string, params ...any) (value, error) {
	body, err := encodeCall(method, params...)
	if err != nil {
		return value{}, err
	}
	endpoint, err := c.endpoint("/pypi")
	if err != nil {
		return value{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, orDefault(c.Timeout, DefaultTimeout))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return value{}, fmt.Errorf("pypi: %s: %w", method, err)
	}
	req.Header.Set("Content-Type", "text/xml")
	resp, err := c.send(req)
	if err != nil {
		return value{}, fmt.Errorf("xml-rpc %s: %w", method, err)
	}
	defer resp.Body.Close()
	data, err := readBody(resp, orDefault(c.MaxBody, DefaultMaxBody), "xml-rpc answer")
	if err != nil {
		return value{}, fmt.Errorf("xml-rpc %s: %w", method, err)
	}
	v, err := decodeResponse(data)
	if err != nil {
		return value{}, fmt.Errorf("xml-rpc %s: %w", method, err)
	}
	return v, nil
}
