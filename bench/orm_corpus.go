package bench

// ORMQueries is a corpus of PostgreSQL statements in the shapes common ORMs
// and drivers emit (ActiveRecord, Django, SQLAlchemy, Hibernate, Sequelize,
// TypeORM, Prisma, GORM, Ecto, knex, pgx, node-postgres), with literals
// inlined as a non-parameterizing client would send them.
var ORMQueries = []string{
	// ActiveRecord
	`SELECT "users".* FROM "users" WHERE "users"."id" = 1 LIMIT 1`,
	`SELECT "posts".* FROM "posts" WHERE "posts"."author_id" IN (3, 5, 8, 13) ORDER BY "posts"."created_at" DESC`,
	`INSERT INTO "comments" ("body", "post_id", "created_at", "updated_at") VALUES ('Nice post!', 42, '2024-05-01 12:00:00.123456', '2024-05-01 12:00:00.123456') RETURNING "id"`,
	`UPDATE "users" SET "sign_in_count" = 7, "last_sign_in_at" = '2024-05-01 08:15:00' WHERE "users"."id" = 99`,
	`SELECT COUNT(*) FROM "notifications" WHERE "notifications"."user_id" = 12 AND "notifications"."read_at" IS NULL`,
	`SELECT 1 AS one FROM "users" WHERE "users"."email" = 'someone@example.org' LIMIT 1`,
	// Django
	`SELECT "auth_user"."id", "auth_user"."password", "auth_user"."last_login", "auth_user"."is_superuser", "auth_user"."username" FROM "auth_user" WHERE "auth_user"."username" = 'admin' LIMIT 21`,
	`SELECT "shop_order"."id", "shop_order"."total" FROM "shop_order" INNER JOIN "shop_customer" ON ("shop_order"."customer_id" = "shop_customer"."id") WHERE ("shop_customer"."country" = 'NL' AND "shop_order"."total" > 100.50) ORDER BY "shop_order"."id" ASC`,
	`INSERT INTO "django_session" ("session_key", "session_data", "expire_date") VALUES ('k3y9x2', 'eyJfYXV0aF91c2VyX2lkIjoiMSJ9:1s2a3b:sig', '2024-06-01T00:00:00+00:00'::timestamptz)`,
	`DELETE FROM "django_session" WHERE "django_session"."expire_date" < '2024-05-01T00:00:00+00:00'::timestamptz`,
	`SELECT "app_item"."id" FROM "app_item" WHERE "app_item"."tags" @> ARRAY['red', 'blue']::varchar(20)[]`,
	// SQLAlchemy
	`SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.name = 'ed' AND users.fullname = 'Ed Jones'`,
	`SELECT addresses.id, addresses.email_address FROM addresses WHERE addresses.user_id IN (5, 7, 11) ORDER BY addresses.id`,
	`INSERT INTO users (name, fullname, nickname) VALUES ('wendy', 'Wendy Williams', 'windy'), ('mary', 'Mary Contrary', 'mary'), ('fred', 'Fred Flintstone', 'freddy')`,
	`SELECT anon_1.users_id FROM (SELECT users.id AS users_id FROM users WHERE users.id > 10) AS anon_1 LIMIT 5 OFFSET 10`,
	// Hibernate
	`select u1_0.id,u1_0.email,u1_0.name from app_user u1_0 where u1_0.email='jane@doe.com'`,
	`select o1_0.id,o1_0.status from orders o1_0 left join order_line l1_0 on o1_0.id=l1_0.order_id where o1_0.status in ('NEW','PAID') fetch first 50 rows only`,
	`update account set balance=balance-250.00,version=version+1 where id=77 and version=3`,
	// Sequelize
	`SELECT "id", "title", "createdAt" FROM "Tasks" AS "Task" WHERE "Task"."projectId" = 9 AND "Task"."done" = false ORDER BY "Task"."createdAt" DESC LIMIT 10;`,
	`INSERT INTO "Projects" ("id","name","createdAt","updatedAt") VALUES (DEFAULT,'Apollo','2024-05-01 10:00:00.000 +00:00','2024-05-01 10:00:00.000 +00:00') RETURNING "id","name";`,
	`UPDATE "Tasks" SET "done"=true,"updatedAt"='2024-05-02 09:00:00.000 +00:00' WHERE "id" = 4`,
	// TypeORM
	`SELECT "User"."id" AS "User_id", "User"."firstName" AS "User_firstName" FROM "user" "User" WHERE "User"."id" IN (1, 2, 3)`,
	`SELECT "photo"."id" AS "photo_id", "metadata"."id" AS "metadata_id" FROM "photo" "photo" LEFT JOIN "photo_metadata" "metadata" ON "metadata"."photoId"="photo"."id" WHERE "photo"."name" = 'Me and Bears' AND "metadata"."compressed" = true`,
	`START TRANSACTION`,
	`COMMIT`,
	// Prisma
	`SELECT "public"."Post"."id", "public"."Post"."title", "public"."Post"."published" FROM "public"."Post" WHERE ("public"."Post"."published" = true AND "public"."Post"."authorId" IN (17, 23)) OFFSET 0`,
	`INSERT INTO "public"."User" ("email","name") VALUES ('ariadne@prisma.io','Ariadne') RETURNING "public"."User"."id"`,
	`SELECT COUNT(*) FROM (SELECT "public"."Post"."id" FROM "public"."Post" WHERE "public"."Post"."title" ILIKE '%prisma%' OFFSET 0) AS "sub"`,
	// GORM
	`SELECT * FROM "products" WHERE code = 'D42' AND "products"."deleted_at" IS NULL ORDER BY "products"."id" LIMIT 1`,
	`UPDATE "products" SET "price"=200,"updated_at"='2024-05-01 10:11:12.131' WHERE "products"."deleted_at" IS NULL AND "id" = 1`,
	`INSERT INTO "users" ("name","age","birthday") VALUES ('jinzhu',18,'2006-01-02 15:04:05'),('jinzhu2',19,'2005-01-02 15:04:05') RETURNING "id"`,
	`DELETE FROM "emails" WHERE "emails"."id" = 10`,
	// Ecto
	`SELECT p0."id", p0."title", p0."inserted_at" FROM "posts" AS p0 WHERE (p0."visits" > 100) AND (p0."title" LIKE 'Elixir%') ORDER BY p0."inserted_at" DESC`,
	`INSERT INTO "posts" ("title","inserted_at","updated_at") VALUES ('hello','2024-05-01T10:00:00','2024-05-01T10:00:00') ON CONFLICT ("title") DO UPDATE SET "updated_at" = EXCLUDED."updated_at" RETURNING "id"`,
	// knex / node-postgres
	`select "id", "email" from "accounts" where "tenant_id" = 'acme' and "status" in ('active', 'trial') order by "id" asc limit 25`,
	`insert into "events" ("type", "payload") values ('signup', '{"plan":"pro","seats":5}'::jsonb)`,
	`SELECT id, payload->>'plan' AS plan FROM events WHERE payload @> '{"seats": 5}' AND payload ? 'plan'`,
	`SELECT * FROM jobs WHERE run_at <= NOW() AND locked_at IS NULL ORDER BY priority DESC, run_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
	// pgx / raw SQL
	`SELECT id, name FROM widgets WHERE id = ANY(ARRAY[101, 102, 103]) AND weight BETWEEN -1.5 AND 3e2`,
	`UPDATE counters SET value = value + 1 WHERE name = 'page_views' RETURNING value`,
	`WITH moved AS (DELETE FROM queue WHERE id IN (SELECT id FROM queue ORDER BY id LIMIT 10 FOR UPDATE SKIP LOCKED) RETURNING *) INSERT INTO archive SELECT * FROM moved`,
	`SELECT date_trunc('hour', created_at) AS h, count(*) FROM requests WHERE created_at > now() - interval '24 hours' GROUP BY 1 ORDER BY 1`,
	`SELECT E'line1\nline2', $$dollar 'quoted' body$$, $fn$ SELECT 1 $fn$, B'1010', X'1F'`,
	`SELECT * FROM logs WHERE message ~* 'error [0-9]+' AND level <> 'debug' AND ts >= '2024-01-01'::date`,
	`CREATE TABLE IF NOT EXISTS audit_2024_05 PARTITION OF audit FOR VALUES FROM ('2024-05-01') TO ('2024-06-01')`,
	`SELECT pg_advisory_xact_lock(424242)`,
	`SELECT setval('orders_id_seq', 1000, true)`,
	`SET statement_timeout = 5000`,
	`SELECT c.relname, c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'`,
	`SELECT u.id FROM users u WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.total > 0.0)`,
	`VALUES (1, 'one'), (2, 'two'), (3, 'three')`,
	`SELECT CASE WHEN score >= 90 THEN 'A' WHEN score >= 80 THEN 'B' ELSE 'C' END AS grade FROM exams WHERE student_id = 31415`,
	`SELECT -1, - 2, 3 - 4, 5-6, .75, 1.e3, 0x1F`,
	`SELECT * FROM t WHERE note = 'unterminated`,
}
