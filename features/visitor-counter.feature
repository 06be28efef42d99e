@severity:critical @serial
Feature: Visitor counter
  As the owner of the site
  I want every visit counted and shown on the home page
  So that I know how many people came

  @REQ-COUNTER-1
  Scenario: The counter displays in a browser
    When I open the home page
    Then I should see "You are visitor number"
    And the number in the "Visitor count" status should be at least 1

  @REQ-COUNTER-2
  Scenario: Refreshing the page increments the visitor count
    Given I open the home page
    And I remember the number in the "Visitor count" status
    When I refresh the page
    Then the number in the "Visitor count" status should have increased by 1

  @REQ-COUNTER-3 @mobile-only
  Scenario: The counter displays on a mobile device
    Given I open the home page
    Then the viewport should be at most 500 pixels wide
    And the device should have a touch screen
    And the "Visitor count" status should be inside the viewport
    And the page should have no horizontal scroll
