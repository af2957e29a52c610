-- Attachment names lose the invisible bidi and format characters (issue 8): U+202E made
-- "invoice<RLO>gpj.exe" read as "invoiceexe.jpg". New names are cleaned on upload
-- (attachment_rules.clean_filename); this cleans those stored before.
UPDATE attachments
   SET filename = COALESCE(NULLIF(btrim(regexp_replace(filename,
       '[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]',
       '', 'g')), ''), 'file')
 WHERE filename ~ '[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]';
