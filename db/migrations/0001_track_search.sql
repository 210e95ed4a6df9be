-- Full-text name search over tracks.search_text (folded title + artists).
-- Catalog.upsertTrack and upsertBatch add the index rows themselves: an AFTER INSERT trigger on an
-- FTS5 table costs about four times as much per row, which halves bulk import speed. Updates and
-- deletes are rare and stay in triggers.
-- unicode61 with remove_diacritics makes it accent-insensitive even for text folded elsewhere.
-- No prefix indexes (prefix='2 3'): type-ahead (`pia*`) was no faster with them on synthetic
-- catalogs of 20k, 200k and 1M tracks (ranking the candidates dominates), and they made every
-- insert dearer.
CREATE VIRTUAL TABLE `track_search` USING fts5(
	search_text,
	content='tracks',
	content_rowid='id',
	tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `tracks_search_delete` AFTER DELETE ON `tracks` BEGIN
	INSERT INTO `track_search`(`track_search`, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
--> statement-breakpoint
CREATE TRIGGER `tracks_search_update` AFTER UPDATE OF search_text ON `tracks` BEGIN
	INSERT INTO `track_search`(`track_search`, rowid, search_text) VALUES ('delete', old.id, old.search_text);
	INSERT INTO `track_search`(rowid, search_text) VALUES (new.id, new.search_text);
END;
--> statement-breakpoint
-- The index's vocabulary, for cheap typo correction (one edit away from a known word).
CREATE VIRTUAL TABLE `track_search_vocab` USING fts5vocab(`track_search`, 'row');
