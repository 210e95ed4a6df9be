CREATE TABLE `daily_settings` (
	`guild_id` text PRIMARY KEY NOT NULL,
	`channel_id` text NOT NULL,
	`time` text NOT NULL,
	`time_zone` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`set_by` text,
	`updated_at` integer NOT NULL
);
