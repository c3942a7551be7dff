-- One row per (team, admin): the team's `admin_ids` list unnested.
{{ unnest_json_list('stg_intercom__teams', 'team_id', 'admin_ids', '$', {
    'admin_id': json_text('list_item', '$'),
}) }}
