-- Business-hours durations read the office-hour calendar; a conversation outside it
-- (vars intercom__calendar_start / intercom__calendar_end) would get wrong durations.
select
    conversation_id,
    created_at,
    updated_at
from {{ ref('stg_intercom__conversations') }}
where created_at < cast('{{ var("intercom__calendar_start") }}' as date) + interval 1 day
    or updated_at >= cast('{{ var("intercom__calendar_end") }}' as date) - interval 1 day
