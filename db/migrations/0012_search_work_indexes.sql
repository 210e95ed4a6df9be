-- The name search weighs the songs a title matches by what the catalog holds of them: every
-- version of the work (work_key is "base title|primary artist": a range scan finds the title's
-- works, with their popularity and years read from the index alone), and how many tracks the
-- primary artist has and how popular its best-known one is (the artist is what follows the
-- "|"; folded text never holds one). The expression is written by hand: drizzle-kit splits it
-- at its commas.
CREATE INDEX `tracks_work_key_idx` ON `tracks` (`work_key`,`popularity`,`release_year`);--> statement-breakpoint
CREATE INDEX `tracks_primary_artist_idx` ON `tracks` (substr(`work_key`, instr(`work_key`, '|') + 1), `popularity`);
