/** How the ERP, remarks and reports name each reship reason (rules.md §5). Unknown reasons show as given. */
export const RESHIP_REASON_LABELS: Record<string, string> = {
  lost: '丢件',
  damaged: '运输破损',
  missing: '漏发少发',
  wrong: '错发',
  signed_not_received: '签收未收到',
};

export const RESPONSIBLE_PARTY_LABELS: Record<string, string> = {
  courier: '快递',
  warehouse: '仓库',
  merchant: '商家',
  buyer: '买家',
};

export const reasonLabel = (reason: string): string => RESHIP_REASON_LABELS[reason] ?? reason;
