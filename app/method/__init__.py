"""The method on site (issue 12): the pre-inspection briefing and the three lists (三个清单) the group keeps up to
date, the group meetings (组务会) and what they decide. The records themselves are kinds of app/core/kinds,
captured through app/capture's RecordService like any other; this package answers the questions that span
them (which minute decided this paper or lead, which papers verify this problem), the members' 回避
declarations and the check every record meets (`conflicts`), and the group's own evaluation read per
member for the 工作鉴定 (`appraisals`). It must not move a record's state (app/capture, app/compile own the
workflows) nor decide what travels (app/exchange).
"""
