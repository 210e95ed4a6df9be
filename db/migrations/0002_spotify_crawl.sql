CREATE TABLE `crawl_albums` (
	`run_id` integer NOT NULL,
	`album_id` text NOT NULL,
	`track_count` integer NOT NULL,
	PRIMARY KEY(`run_id`, `album_id`),
	FOREIGN KEY (`run_id`) REFERENCES `crawl_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `crawl_items` (
	`run_id` integer NOT NULL,
	`spotify_id` text NOT NULL,
	`track` text NOT NULL,
	`in_playlist` integer NOT NULL,
	`added_at` text,
	`features` text,
	`provider` text,
	`features_tried` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`run_id`, `spotify_id`),
	FOREIGN KEY (`run_id`) REFERENCES `crawl_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `crawl_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`seed_id` integer NOT NULL,
	`status` text NOT NULL,
	`stage` text NOT NULL,
	`state` text NOT NULL,
	`counts` text NOT NULL,
	`error` text,
	`started_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`seed_id`) REFERENCES `seeds`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `crawl_runs_seed_idx` ON `crawl_runs` (`seed_id`,`status`);--> statement-breakpoint
CREATE TABLE `crawled_albums` (
	`album_id` text PRIMARY KEY NOT NULL,
	`track_count` integer NOT NULL,
	`crawled_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `feature_backlog` (
	`track_id` integer PRIMARY KEY NOT NULL,
	`attempts` integer DEFAULT 1 NOT NULL,
	`last_tried_at` integer NOT NULL,
	FOREIGN KEY (`track_id`) REFERENCES `tracks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `seed_tracks` (
	`seed_id` integer NOT NULL,
	`track_id` integer NOT NULL,
	`added_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`removed_at` integer,
	PRIMARY KEY(`seed_id`, `track_id`),
	FOREIGN KEY (`seed_id`) REFERENCES `seeds`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`track_id`) REFERENCES `tracks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `seed_tracks_track_idx` ON `seed_tracks` (`track_id`);--> statement-breakpoint
CREATE TABLE `spotify_accounts` (
	`id` integer PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`display_name` text,
	`refresh_token` text NOT NULL,
	`scope` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `seeds` ADD `track_count` integer;