// woodpecker.Campaign arrives with its own issue.
export {};
