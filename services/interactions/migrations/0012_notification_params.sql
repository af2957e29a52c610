-- Notifications are rendered in the reader's language from `type` + `data` (issue 8): the rows
-- written before get the parameters their titles need, from the user directory. A row still
-- lacking one shows its stored (Vietnamese) title.
UPDATE notifications n
   SET data = n.data || jsonb_build_object('author_username', u.username)
  FROM directory_users u
 WHERE n.type = 'mention' AND NOT n.data ? 'author_username' AND u.id::text = n.data->>'author_id';

UPDATE notifications n
   SET data = n.data || jsonb_build_object('assignee_name', COALESCE(NULLIF(btrim(u.full_name), ''), u.username))
  FROM directory_users u
 WHERE n.type = 'assignment_declined' AND NOT n.data ? 'assignee_name' AND u.id::text = n.data->>'assignee_id';
