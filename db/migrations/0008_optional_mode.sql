PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_audio_features` (
	`track_id` integer PRIMARY KEY NOT NULL,
	`danceability` real NOT NULL,
	`energy` real NOT NULL,
	`key` integer,
	`loudness` real NOT NULL,
	`mode` integer,
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
INSERT INTO `__new_audio_features`("track_id", "danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness", "instrumentalness", "liveness", "valence", "tempo", "duration_ms", "time_signature", "provider", "fetched_at") SELECT "track_id", "danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness", "instrumentalness", "liveness", "valence", "tempo", "duration_ms", "time_signature", "provider", "fetched_at" FROM `audio_features`;--> statement-breakpoint
DROP TABLE `audio_features`;--> statement-breakpoint
ALTER TABLE `__new_audio_features` RENAME TO `audio_features`;--> statement-breakpoint
PRAGMA foreign_keys=ON;