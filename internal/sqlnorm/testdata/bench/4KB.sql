/* action='report', controller='analytics', traceparent='00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' */
WITH recent_orders AS (
    SELECT o.id, o.customer_id, o.total_amount, o.currency, o.created_at, o.status
    FROM public.orders o
    WHERE o.created_at >= '2024-01-01 00:00:00+00'
      AND o.created_at < '2024-04-01 00:00:00+00'
      AND o.status IN ('paid', 'shipped', 'delivered', 'refunded')
      AND o.total_amount > 0.01
),
customer_stats AS (
    SELECT c.id AS customer_id,
           c.email,
           c.country_code,
           COUNT(ro.id) AS order_count,
           SUM(ro.total_amount) AS revenue,
           AVG(ro.total_amount) AS avg_order,
           MAX(ro.created_at) AS last_order_at
    FROM public.customers c
    JOIN recent_orders ro ON ro.customer_id = c.id
    WHERE c.deleted_at IS NULL
      AND c.email NOT LIKE '%@example.com'
      AND c.country_code = ANY(ARRAY['DE', 'FR', 'NL', 'BE', 'AT', 'CH'])
    GROUP BY c.id, c.email, c.country_code
    HAVING COUNT(ro.id) >= 3
),
product_mix AS (
    SELECT oi.order_id,
           p.category_id,
           SUM(oi.quantity * oi.unit_price) AS line_total,
           BOOL_OR(p.is_digital) AS has_digital
    FROM public.order_items oi
    INNER JOIN public.products p ON p.id = oi.product_id
    WHERE oi.order_id IN (SELECT id FROM recent_orders)
      AND p.sku NOT IN ('GIFT-CARD-25', 'GIFT-CARD-50', 'GIFT-CARD-100')
    GROUP BY oi.order_id, p.category_id
)
SELECT cs.customer_id,
       cs.email,
       cs.country_code,
       cs.order_count,
       ROUND(cs.revenue::numeric, 2) AS revenue,
       ROUND(cs.avg_order::numeric, 2) AS avg_order,
       CASE
           WHEN cs.revenue > 10000 THEN 'platinum'
           WHEN cs.revenue > 5000 THEN 'gold'
           WHEN cs.revenue > 1000 THEN 'silver'
           ELSE 'bronze'
       END AS tier,
       (SELECT COUNT(DISTINCT pm.category_id)
          FROM product_mix pm
          JOIN recent_orders ro2 ON ro2.id = pm.order_id
         WHERE ro2.customer_id = cs.customer_id) AS category_breadth,
       (SELECT json_agg(json_build_object('category', pm2.category_id, 'total', pm2.line_total) ORDER BY pm2.line_total DESC)
          FROM product_mix pm2
          JOIN recent_orders ro3 ON ro3.id = pm2.order_id
         WHERE ro3.customer_id = cs.customer_id
           AND pm2.line_total > 25.50) AS top_categories,
       CASE WHEN cs.country_code IN ('DE', 'AT', 'CH') THEN 'dach' WHEN cs.country_code IN ('FR', 'BE') THEN 'fr' ELSE 'other' END AS market,
       to_char(cs.last_order_at AT TIME ZONE 'Europe/Berlin', 'YYYY-MM-DD"T"HH24:MI:SS') AS last_order_local,
       (cs.revenue * 0.19)::numeric(12, 2) AS vat_estimate,
       cs.revenue / NULLIF(cs.order_count, 0) - 12.5e-1 AS adjusted_avg,
       substring(cs.email FROM position('@' IN cs.email) + 1) AS email_domain,
       date_trunc('month', cs.last_order_at) AS last_order_month,
       (SELECT string_agg(t.tag, ', ' ORDER BY t.tag) FROM crm.customer_tags t WHERE t.customer_id = cs.customer_id AND t.tag NOT IN ('test', 'internal')) AS tags,
       $1::text AS request_id,
       COALESCE(l.points, 0) AS loyalty_points,
       l.metadata->>'tier_override' AS tier_override,
       l.metadata @> '{"vip": true}' AS is_vip,
       EXTRACT(EPOCH FROM (NOW() - cs.last_order_at)) / 86400.0 AS days_since_last_order
FROM customer_stats cs
LEFT OUTER JOIN loyalty.accounts l ON l.customer_id = cs.customer_id AND l.program = 'default'
LEFT JOIN LATERAL (
    SELECT r.reason, r.created_at
    FROM support.refund_requests r
    WHERE r.customer_id = cs.customer_id
      AND r.state <> 'rejected'
    ORDER BY r.created_at DESC
    LIMIT 1
) last_refund ON TRUE
WHERE cs.order_count BETWEEN 3 AND 500
  AND (l.points IS NULL OR l.points < 1000000)
  AND cs.email ~* '^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$'
  AND cs.customer_id NOT IN (101, 202, 303, 404, 505, 606, 707, 808, 909, 1001, 1102, 1203)
  AND last_refund.reason IS DISTINCT FROM 'fraud'
ORDER BY revenue DESC NULLS LAST, cs.customer_id ASC
LIMIT 250 OFFSET 0
FOR SHARE OF cs SKIP LOCKED
-- end of report query
