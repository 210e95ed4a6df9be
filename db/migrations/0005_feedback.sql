CREATE TABLE `feedback` (
	`guild_id` text NOT NULL,
	`user_id` text NOT NULL,
	`track_id` integer NOT NULL,
	`vote` integer NOT NULL,
	`created_at` integer DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)) NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`guild_id`, `user_id`, `track_id`),
	FOREIGN KEY (`track_id`) REFERENCES `tracks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `feedback_guild_track_idx` ON `feedback` (`guild_id`,`track_id`);