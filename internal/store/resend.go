package store

import (
	"context"
	"fmt"
	"time"
)

// Resend makes every delivery of an alert pending and due now, so that
// the sender tries each again (attempts go on being numbered from where
// they were), as a new message (Resends counts them: a receiver that
// drops repeated webhook-ids must not drop a re-send). An attempt in
// flight loses its claim: its result is not recorded over the re-send. It returns how many deliveries it reset; ErrNotFound when
// the alert does not exist.
func (s *Store) Resend(ctx context.Context, alertID string) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM alerts WHERE id = ?`), alertID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: resend %s: %w", alertID, err)
	}
	if n == 0 {
		return 0, ErrNotFound
	}
	now := millis(time.Now())
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE deliveries SET state = ?, next_at = ?, updated_at = ?, claim = '', resends = resends + 1 WHERE alert_id = ?`),
		DeliveryPending, now, now, alertID)
	if err != nil {
		return 0, fmt.Errorf("store: resend %s: %w", alertID, err)
	}
	reset, _ := res.RowsAffected()
	return int(reset), nil
}
