-- One row per company: its contacts' funnel and the support their conversations got.
with

companies as (

    select * from {{ ref('stg_intercom__companies') }}

),

contact_companies as (

    select * from {{ ref('stg_intercom__contact_companies') }}

),

contact_funnel as (

    select * from {{ ref('contact_funnel') }}

),

conversation_contacts as (

    select * from {{ ref('stg_intercom__conversation_contacts') }}

),

conversation_metrics as (

    select * from {{ ref('conversation_metrics') }}

),

tickets as (

    select * from {{ ref('stg_intercom__tickets') }}

),

contact_stats as (

    select
        contact_companies.company_id,
        count(*) as count_contacts,
        count(*) filter (where contact_funnel.contact_role = 'user') as count_users,
        count(*) filter (where contact_funnel.contact_role = 'lead') as count_leads,
        count(contact_funnel.converted_at) as count_converted_contacts,
        count(*) filter (where contact_funnel.is_active) as count_active_contacts,
        max(contact_funnel.last_seen_at) as last_seen_at

    from contact_companies
    inner join contact_funnel
        on contact_companies.contact_id = contact_funnel.contact_id
    group by contact_companies.company_id

),

company_conversations as (

    select distinct
        contact_companies.company_id,
        conversation_contacts.conversation_id

    from contact_companies
    inner join conversation_contacts
        on contact_companies.contact_id = conversation_contacts.contact_id

),

conversation_stats as (

    select
        company_conversations.company_id,
        count(*) as count_conversations,
        count(*) filter (
            where conversation_metrics.conversation_state != 'closed'
        ) as count_open_conversations,
        median(conversation_metrics.time_to_first_admin_reply_seconds)
            as median_time_to_first_admin_reply_seconds,
        median(conversation_metrics.time_to_first_admin_reply_seconds) / 60.0
            as median_time_to_first_admin_reply_minutes,
        count(conversation_metrics.rating) as count_ratings,
        avg(conversation_metrics.rating) as average_rating,
        max(conversation_metrics.created_at) as last_conversation_at

    from company_conversations
    inner join conversation_metrics
        on company_conversations.conversation_id = conversation_metrics.conversation_id
    group by company_conversations.company_id

),

ticket_stats as (

    select
        contact_companies.company_id,
        count(*) as count_tickets,
        count(*) filter (where tickets.is_open) as count_open_tickets

    from contact_companies
    inner join tickets
        on contact_companies.contact_id = tickets.contact_id
    group by contact_companies.company_id

),

final as (

    select
        companies.company_id,
        companies.company_name,
        companies.plan_name,
        companies.monthly_spend,
        coalesce(contact_stats.count_contacts, 0) as count_contacts,
        coalesce(contact_stats.count_users, 0) as count_users,
        coalesce(contact_stats.count_leads, 0) as count_leads,
        coalesce(contact_stats.count_converted_contacts, 0) as count_converted_contacts,
        coalesce(contact_stats.count_active_contacts, 0) as count_active_contacts,
        contact_stats.last_seen_at,
        coalesce(conversation_stats.count_conversations, 0) as count_conversations,
        coalesce(conversation_stats.count_open_conversations, 0) as count_open_conversations,
        conversation_stats.median_time_to_first_admin_reply_seconds,
        conversation_stats.median_time_to_first_admin_reply_minutes,
        coalesce(conversation_stats.count_ratings, 0) as count_ratings,
        conversation_stats.average_rating,
        conversation_stats.last_conversation_at,
        coalesce(ticket_stats.count_tickets, 0) as count_tickets,
        coalesce(ticket_stats.count_open_tickets, 0) as count_open_tickets

    from companies
    left join contact_stats
        on companies.company_id = contact_stats.company_id
    left join conversation_stats
        on companies.company_id = conversation_stats.company_id
    left join ticket_stats
        on companies.company_id = ticket_stats.company_id

)

select * from final
