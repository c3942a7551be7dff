{#- Part types that assign a conversation (Intercom 2.11 and what clients see in practice). -#}
{% macro assignment_part_types() -%}
    ('assignment', 'default_assignment', 'assign_and_reopen', 'away_mode_assignment')
{%- endmacro %}

{#- Part types that reopen a conversation. -#}
{% macro reopen_part_types() -%}
    ('open', 'assign_and_reopen')
{%- endmacro %}

{#- Author types that are the customer (contact), never a teammate or a bot. -#}
{% macro contact_author_types() -%}
    ('user', 'lead', 'contact')
{%- endmacro %}

{#- The conversation state a part leaves behind, null for parts that keep the state. -#}
{% macro state_after_part(part_type) -%}
    case
        when {{ part_type }} = 'close' then 'closed'
        when {{ part_type }} in ('open', 'assign_and_reopen', 'unsnoozed') then 'open'
        when {{ part_type }} = 'snoozed' then 'snoozed'
    end
{%- endmacro %}
