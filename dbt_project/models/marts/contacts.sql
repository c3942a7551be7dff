-- One row per contact: who they are, their tags and companies, and their conversations.
with

contacts as (

    select * from {{ ref('stg_intercom__contacts') }}

),

contact_tags as (

    select * from {{ ref('stg_intercom__contact_tags') }}

),

tags as (

    select * from {{ ref('stg_intercom__tags') }}

),

contact_companies as (

    select * from {{ ref('stg_intercom__contact_companies') }}

),

companies as (

    select * from {{ ref('stg_intercom__companies') }}

),

admins as (

    select * from {{ ref('stg_intercom__admins') }}

),

contact_funnel as (

    select * from {{ ref('contact_funnel') }}

),

tag_lists as (

    select
        contact_tags.contact_id,
        string_agg(
            coalesce(tags.tag_name, contact_tags.tag_id), ', '
            order by coalesce(tags.tag_name, contact_tags.tag_id)
        ) as tag_names,
        count(*) as count_tags

    from contact_tags
    left join tags
        on contact_tags.tag_id = tags.tag_id
    group by contact_tags.contact_id

),

company_lists as (

    select
        contact_companies.contact_id,
        string_agg(
            coalesce(companies.company_name, contact_companies.company_id), ', '
            order by coalesce(companies.company_name, contact_companies.company_id)
        ) as company_names,
        min(contact_companies.company_id) as primary_company_id,
        count(*) as count_companies

    from contact_companies
    left join companies
        on contact_companies.company_id = companies.company_id
    group by contact_companies.contact_id

),

final as (

    select
        -- ids
        contacts.contact_id,
        contacts.external_id,
        contacts.owner_admin_id,
        company_lists.primary_company_id,

        -- attributes
        contacts.contact_role,
        contacts.contact_name,
        contacts.email,
        contacts.phone,
        contacts.country,
        contacts.city,
        admins.admin_name as owner_admin_name,
        tag_lists.tag_names,
        coalesce(tag_lists.count_tags, 0) as count_tags,
        company_lists.company_names,
        coalesce(company_lists.count_companies, 0) as count_companies,
        contacts.custom_attributes,
        contact_funnel.count_conversations,

        -- booleans
        contacts.has_hard_bounced,
        contacts.is_unsubscribed_from_emails,
        contact_funnel.is_active,

        -- timestamps
        contacts.created_at,
        contacts.updated_at,
        contacts.signed_up_at,
        contacts.last_seen_at,
        contacts.last_replied_at,
        contacts.last_contacted_at,
        contact_funnel.engaged_at,
        contact_funnel.answered_at,
        contact_funnel.converted_at

    from contacts
    left join tag_lists
        on contacts.contact_id = tag_lists.contact_id
    left join company_lists
        on contacts.contact_id = company_lists.contact_id
    left join admins
        on contacts.owner_admin_id = admins.admin_id
    left join contact_funnel
        on contacts.contact_id = contact_funnel.contact_id

)

select * from final
