CREATE TABLE `starter_imports` (
	`source` text PRIMARY KEY NOT NULL,
	`position` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`rows_read` integer DEFAULT 0 NOT NULL,
	`rows_expected` integer,
	`bytes_read` integer DEFAULT 0 NOT NULL,
	`bytes_total` integer,
	`tracks_added` integer DEFAULT 0 NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer
);
