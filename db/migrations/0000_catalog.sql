CREATE TABLE `audio_features` (
	`track_id` integer PRIMARY KEY NOT NULL,
	`danceability` real NOT NULL,
	`energy` real NOT NULL,
	`key` integer,
	`loudness` real NOT NULL,
	`mode` integer NOT NULL,
	`speechiness` real NOT NULL,
	`acousticness` real NOT NULL,
	`instrumentalness` real NOT NULL,
	`liveness` real NOT NULL,
	`valence` real NOT NULL,
	`tempo` real NOT NULL,
	`duration_ms` integer,
	`time_signature` integer,
	`provider` text NOT NULL,
	`fetched_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`track_id`) REFERENCES `tracks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `cluster_models` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`k` integer NOT NULL,
	`feature_spec` text NOT NULL,
	`scaler` text NOT NULL,
	`centroids` text NOT NULL,
	`labels` text NOT NULL,
	`profiles` text NOT NULL,
	`metrics` text NOT NULL,
	`track_count` integer NOT NULL,
	`active` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cluster_models_one_active_idx` ON `cluster_models` (`active`) WHERE active = 1;--> statement-breakpoint
CREATE TABLE `recommendations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guild_id` text,
	`user_id` text,
	`query` text NOT NULL,
	`query_track_id` integer,
	`track_id` integer NOT NULL,
	`model_id` integer,
	`cluster` integer,
	`similarity` real,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	FOREIGN KEY (`query_track_id`) REFERENCES `tracks`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`track_id`) REFERENCES `tracks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `recommendations_user_idx` ON `recommendations` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `recommendations_guild_idx` ON `recommendations` (`guild_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `seeds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guild_id` text NOT NULL,
	`playlist_id` text NOT NULL,
	`name` text,
	`owner_name` text,
	`snapshot_id` text,
	`expand_artists` integer DEFAULT false NOT NULL,
	`added_by` text,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`last_crawled_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `seeds_guild_playlist_idx` ON `seeds` (`guild_id`,`playlist_id`);--> statement-breakpoint
CREATE TABLE `track_aliases` (
	`spotify_id` text PRIMARY KEY NOT NULL,
	`track_id` integer NOT NULL,
	FOREIGN KEY (`track_id`) REFERENCES `tracks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `track_aliases_track_idx` ON `track_aliases` (`track_id`);--> statement-breakpoint
CREATE TABLE `track_clusters` (
	`model_id` integer NOT NULL,
	`track_id` integer NOT NULL,
	`cluster` integer NOT NULL,
	`distance` real NOT NULL,
	PRIMARY KEY(`model_id`, `track_id`),
	FOREIGN KEY (`model_id`) REFERENCES `cluster_models`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`track_id`) REFERENCES `tracks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `track_clusters_model_cluster_idx` ON `track_clusters` (`model_id`,`cluster`);--> statement-breakpoint
CREATE TABLE `track_labels` (
	`track_id` integer NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`source` text NOT NULL,
	PRIMARY KEY(`track_id`, `kind`, `value`),
	FOREIGN KEY (`track_id`) REFERENCES `tracks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `track_labels_kind_idx` ON `track_labels` (`kind`,`value`);--> statement-breakpoint
CREATE TABLE `tracks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`spotify_id` text NOT NULL,
	`name` text NOT NULL,
	`artists` text NOT NULL,
	`artist_ids` text,
	`album` text,
	`album_id` text,
	`cover_url` text,
	`release_year` integer,
	`popularity` integer,
	`duration_ms` integer,
	`explicit` integer,
	`song_key` text NOT NULL,
	`work_key` text NOT NULL,
	`search_text` text NOT NULL,
	`source` text NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tracks_spotify_id_unique` ON `tracks` (`spotify_id`);--> statement-breakpoint
CREATE INDEX `tracks_song_key_idx` ON `tracks` (`song_key`);