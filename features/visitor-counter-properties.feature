@severity:critical @property
Feature: Visitor counter under random use
  As the owner of the site
  I want the counter and the site to hold up under any use, not only the paths we thought of
  So that a release cannot lose visits, crash on odd requests or leak its internals unnoticed

  Property scenarios (@property) run many generated cases each: properties.runs from the config
  (25 by default, the gate's minimum) unless a @runs:N tag says otherwise. They print their seed
  and on failure report the smallest failing case with a replay command (docs/steps.md).

  @REQ-COUNTER-4 @time-budget:3m
  Scenario: The count matches the page loads under any sequence of visits
    Then the number in the "Visitor count" status should count every page load of "/" under any sequence of these actions:
      | actions          | visit, refresh, go back, new visitor, other page, visitors at once |
      | max actions      | 5                                                                  |
      | visitors at once | 2 to 3                                                             |
      | other page       | /about                                                             |

  @REQ-COUNTER-5 @runs:100
  Scenario: Unexpected requests never break the server or leak its internals
    Then staging should answer any request of these shapes without a 5xx, a hang or a leak:
      | method     | GET, HEAD, POST, PUT, DELETE, any method |
      | path       | /, /about, /feedback, any path           |
      | query      | any query string                         |
      | headers    | any headers                              |
      | body       | any form body up to 4 KB                 |
      | time limit | 2 s                                      |

  @REQ-COUNTER-6 @time-budget:3m
  Scenario: Any name typed into the feedback form leaves the page usable
    Given I open "/feedback"
    Then any text of this shape typed into the field labelled "Your name" should leave the page usable:
      | text        | any text up to 120 characters |
      | submit with | the "Send feedback" button    |

  @REQ-COUNTER-7 @serial
  Scenario: The count never goes down, whatever a visitor clicks
    Given I open the home page
    Then these checks should hold after any sequence of these actions:
      | action      | I refresh the page                                             |
      | action      | I open "/?from={any letters of 1 to 8 characters}"             |
      | action      | I click the "About" link                                       |
      | and         | I go back                                                      |
      | max actions | 4                                                              |
      | check       | the number in the "Visitor count" status should never decrease |
