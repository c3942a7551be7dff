with

conversations as (

    select * from {{ ref('stg_intercom__conversations') }}

),

events as (

    select * from {{ ref('int_intercom__conversation_events') }}

),

first_contact_messages as (

    select
        conversation_id,
        min(created_at) filter (where is_contact_message) as first_contact_reply_at

    from events
    group by conversation_id

),

events_after_contact as (

    select
        events.*,
        first_contact_messages.first_contact_reply_at,
        coalesce(
            events.created_at > first_contact_messages.first_contact_reply_at, false
        ) as is_after_first_contact_reply

    from events
    inner join first_contact_messages
        on events.conversation_id = first_contact_messages.conversation_id

),

aggregated as (

    select
        conversation_id,
        min(first_contact_reply_at) as first_contact_reply_at,
        min(created_at) filter (
            where is_admin_reply and is_after_first_contact_reply
        ) as first_admin_reply_at,
        min(created_at) filter (
            where is_assignment and is_after_first_contact_reply
        ) as first_assignment_at,
        max(created_at) filter (
            where is_assignment and is_after_first_contact_reply
        ) as last_assignment_at,
        count(*) filter (
            where is_assignment and is_after_first_contact_reply
        ) as count_assignments,
        count(*) filter (
            where is_reopen and is_after_first_contact_reply
        ) as count_reopens,
        min(created_at) filter (where is_admin_close) as first_close_at,
        max(created_at) filter (where is_admin_close) as last_close_at,
        arg_max(author_id, created_at) filter (where is_admin_close) as last_closed_by_admin_id,
        count(*) filter (where is_admin_close) as count_admin_closes,
        count(*) filter (where is_bot_close) as count_bot_closes,
        count(*) filter (where not is_opening_message) as count_parts

    from events_after_contact
    group by conversation_id

),

final as (

    select
        conversations.conversation_id,
        conversations.created_at,
        conversations.updated_at,
        conversations.conversation_state,
        conversations.source_type,
        conversations.source_delivered_as,
        conversations.source_author_type in {{ contact_author_types() }}
            as is_initiated_by_contact,
        conversations.assignee_admin_id,
        conversations.assignee_team_id,
        conversations.rating,
        conversations.rating_remark,
        aggregated.first_contact_reply_at,
        aggregated.first_admin_reply_at,
        aggregated.first_assignment_at,
        aggregated.last_assignment_at,
        aggregated.first_close_at,
        aggregated.last_close_at,
        aggregated.last_closed_by_admin_id,
        coalesce(aggregated.count_assignments, 0) as count_assignments,
        coalesce(aggregated.count_reopens, 0) as count_reopens,
        coalesce(aggregated.count_admin_closes, 0) as count_admin_closes,
        coalesce(aggregated.count_bot_closes, 0) as count_bot_closes,
        coalesce(aggregated.count_parts, 0) as count_parts,
        datediff(
            'second', aggregated.first_contact_reply_at, aggregated.first_admin_reply_at
        ) as time_to_first_admin_reply_seconds,
        datediff(
            'second', aggregated.first_contact_reply_at, aggregated.first_admin_reply_at
        ) / 60.0 as time_to_first_admin_reply_minutes,
        datediff(
            'second', aggregated.first_contact_reply_at, aggregated.first_close_at
        ) as time_to_first_close_seconds,
        datediff(
            'second', aggregated.first_contact_reply_at, aggregated.last_close_at
        ) as time_to_last_close_seconds

    from conversations
    left join aggregated
        on conversations.conversation_id = aggregated.conversation_id

)

select * from final
