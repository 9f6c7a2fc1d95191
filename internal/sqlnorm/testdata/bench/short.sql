SELECT "users"."id", "users"."email", "users"."created_at" FROM "users" WHERE "users"."id" = $1 LIMIT $2
SELECT u0."id", u0."name", u0."email" FROM "public"."User" AS u0 WHERE (u0."email" = 'alice@example.com')
INSERT INTO "orders" ("user_id", "total", "status", "created_at") VALUES (42, 19.99, 'pending', '2024-05-01 10:00:00') RETURNING "id"
UPDATE "sessions" SET "last_seen_at" = '2024-05-01T10:00:00Z', "hits" = "hits" + 1 WHERE "id" = 'b2a1c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d'
SELECT "t0"."id", "t0"."total" FROM "orders" AS "t0" INNER JOIN "customers" AS "t1" ON "t0"."customer_id" = "t1"."id" WHERE "t1"."id" IN (1, 2, 3) ORDER BY "t0"."created_at" DESC LIMIT 20 OFFSET 40
DELETE FROM "carts" WHERE "updated_at" < NOW() - INTERVAL '30 days'
SELECT COUNT(*) AS "count" FROM "products" WHERE "category_id" = 7 AND "price" BETWEEN 10 AND 100
SELECT * FROM accounts WHERE id = 1 FOR UPDATE
