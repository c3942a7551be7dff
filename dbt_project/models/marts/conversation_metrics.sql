-- One row per conversation: the response, assignment and close metrics Intercom
-- reports in `conversation.statistics`, computed from the parts, wall-clock and in
-- business hours (int_intercom__conversations_measured), with the conversation's
-- attributes and Intercom's own statistics beside them.
with

conversations as (

    select * from {{ ref('stg_intercom__conversations') }}

),

measured as (

    select * from {{ ref('int_intercom__conversations_measured') }}

),

admins as (

    select * from {{ ref('stg_intercom__admins') }}

),

teams as (

    select * from {{ ref('stg_intercom__teams') }}

),

conversation_tags as (

    select * from {{ ref('stg_intercom__conversation_tags') }}

),

tag_lists as (

    select
        conversation_id,
        string_agg(tag_name, ', ' order by tag_name) as tag_names,
        count(*) as count_tags

    from conversation_tags
    group by conversation_id

),

final as (

    select
        -- ids
        conversations.conversation_id,
        conversations.assignee_admin_id,
        conversations.assignee_team_id,

        -- attributes
        conversations.conversation_state,
        conversations.priority,
        conversations.source_type,
        conversations.source_delivered_as,
        conversations.source_author_type in {{ contact_author_types() }}
            as is_initiated_by_contact,
        coalesce(
            conversations.source_author_type not in {{ contact_author_types() }}, true
        ) as is_outbound,
        admins.admin_name as assignee_admin_name,
        teams.team_name as assignee_team_name,
        tag_lists.tag_names,
        coalesce(tag_lists.count_tags, 0) as count_tags,
        conversations.rating,
        conversations.rating_remark,
        conversations.rated_at,

        -- timestamps
        conversations.created_at,
        conversations.updated_at,
        measured.first_contact_reply_at,
        measured.last_contact_reply_at,
        measured.first_admin_reply_at,
        measured.last_admin_reply_at,
        measured.first_assignment_at,
        measured.last_assignment_at,
        measured.last_assignment_admin_reply_at,
        measured.first_close_at,
        measured.last_close_at,
        measured.first_bot_close_at,
        measured.last_bot_close_at,

        -- who
        measured.first_admin_reply_by_admin_id,
        measured.first_closed_by_admin_id,
        measured.last_closed_by_admin_id,
        measured.last_closed_by_bot_id,

        -- counts
        coalesce(measured.count_contact_messages, 0) as count_contact_messages,
        coalesce(measured.count_admin_replies, 0) as count_admin_replies,
        coalesce(measured.count_assignments, 0) as count_assignments,
        coalesce(measured.count_reopens, 0) as count_reopens,
        coalesce(measured.count_admin_closes, 0) as count_admin_closes,
        coalesce(measured.count_bot_closes, 0) as count_bot_closes,
        coalesce(measured.count_parts, 0) as count_parts,
        coalesce(measured.count_timed_replies, 0) as count_timed_replies,
        coalesce(measured.is_reopened_after_close, false) as is_reopened_after_close,

        -- durations, wall-clock
        measured.time_to_first_assignment_seconds,
        {{ seconds_to_minutes('measured.time_to_first_assignment_seconds') }}
            as time_to_first_assignment_minutes,
        measured.time_to_first_admin_reply_seconds,
        {{ seconds_to_minutes('measured.time_to_first_admin_reply_seconds') }}
            as time_to_first_admin_reply_minutes,
        measured.time_to_first_close_seconds,
        {{ seconds_to_minutes('measured.time_to_first_close_seconds') }}
            as time_to_first_close_minutes,
        measured.time_to_last_close_seconds,
        {{ seconds_to_minutes('measured.time_to_last_close_seconds') }}
            as time_to_last_close_minutes,
        measured.median_time_to_reply_seconds,
        {{ seconds_to_minutes('measured.median_time_to_reply_seconds') }}
            as median_time_to_reply_minutes,

        -- durations, business hours
        measured.time_to_first_admin_reply_business_seconds,
        {{ seconds_to_minutes('measured.time_to_first_admin_reply_business_seconds') }}
            as time_to_first_admin_reply_business_minutes,
        measured.time_to_first_close_business_seconds,
        {{ seconds_to_minutes('measured.time_to_first_close_business_seconds') }}
            as time_to_first_close_business_minutes,
        measured.time_to_last_close_business_seconds,
        {{ seconds_to_minutes('measured.time_to_last_close_business_seconds') }}
            as time_to_last_close_business_minutes,

        -- completeness: Intercom returns the latest 500 parts; its count includes
        -- the opening message
        coalesce(measured.count_parts, 0)
        = conversations.intercom_count_conversation_parts - 1 as has_complete_parts,

        -- Intercom's own statistics
        conversations.intercom_first_contact_reply_at,
        conversations.intercom_first_admin_reply_at,
        conversations.intercom_first_assignment_at,
        conversations.intercom_last_assignment_at,
        conversations.intercom_last_assignment_admin_reply_at,
        conversations.intercom_last_contact_reply_at,
        conversations.intercom_last_admin_reply_at,
        conversations.intercom_first_close_at,
        conversations.intercom_last_close_at,
        conversations.intercom_last_closed_by_id,
        conversations.intercom_count_reopens,
        conversations.intercom_count_assignments,
        conversations.intercom_count_conversation_parts,
        conversations.intercom_time_to_assignment_seconds,
        conversations.intercom_time_to_admin_reply_seconds,
        conversations.intercom_time_to_first_close_seconds,
        conversations.intercom_time_to_last_close_seconds,
        conversations.intercom_median_time_to_reply_seconds

    from conversations
    left join measured
        on conversations.conversation_id = measured.conversation_id
    left join admins
        on conversations.assignee_admin_id = admins.admin_id
    left join teams
        on conversations.assignee_team_id = teams.team_id
    left join tag_lists
        on conversations.conversation_id = tag_lists.conversation_id

)

select * from final
